from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from civitas.spaces import access
from civitas.spaces.models import Space


def _login_first(request):
    return redirect_to_login(request.get_full_path())


def organization_admin_required(view):
    """Only the current organization's admins; others get 403, visitors the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _login_first(request)
        if not access.is_organization_admin_of(user, request.organization.pk):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def backoffice_access_required(view):
    """Organization admins, and space admins for the part about their own spaces."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login_first(request)
        if not request.user.has_perm("spaces.use_backoffice", request.organization):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def space_admin_required(view):
    """Give the view the space named by ``space_id``: 404 outside the organization, 403 without the role."""

    @wraps(view)
    def wrapper(request, space_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return _login_first(request)
        space = get_object_or_404(
            Space.objects.select_related("active_phase", "organization"),
            organization=request.organization,
            pk=space_id,
        )
        if not request.user.has_perm("spaces.admin_space", space):
            raise PermissionDenied
        return view(request, space, *args, **kwargs)

    return wrapper
