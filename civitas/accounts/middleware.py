from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from civitas.spaces import access


def _belongs_here(request, user) -> bool:
    if request.path.startswith("/system/"):
        return user.is_system_admin and user.organization_id is None
    organization = request.organization
    return organization is not None and user.organization_id == organization.pk


class TenantUserMiddleware:
    """A session is honoured only on its own organization's host.

    Session cookies are bound to their host already; this guards against a cookie
    replayed on another host, and keeps system admins out of organization pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not _belongs_here(request, user):
            request.user = AnonymousUser()
        return self.get_response(request)


class AdminTwoFactorMiddleware:
    """Send people holding a power to set up a second factor when they open the back-office.

    The gate itself is in ``civitas.spaces.access``: without the second factor their
    powers count for nothing on any page. This only turns the back-office's refusals into
    the way forward.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(request, "organization", None) is not None
            and request.path.startswith("/admin/")
            and access.awaits_second_factor(request.user)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?required=1")
        return self.get_response(request)
