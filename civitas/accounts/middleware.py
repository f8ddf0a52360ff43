from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from civitas.spaces.access import administered_space_ids


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
    """Send admins without a verified second factor to set one up, if the organization says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        organization = getattr(request, "organization", None)
        user = request.user
        if (
            organization is not None
            and organization.require_admin_two_factor
            and request.path.startswith("/admin/")
            and user.is_authenticated
            and (user.is_organization_admin or administered_space_ids(user))
            and not user.is_verified()
        ):
            return redirect(f"{reverse('accounts:two_factor')}?required=1")
        return self.get_response(request)
