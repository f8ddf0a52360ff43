"""The back-office's own guards: who may open it, and who administers a given space.

The organization-admin guard lives below, in ``civitas.organizations.access``, so that apps
with an admin page of their own never import the back-office.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from civitas.organizations.access import login_first
from civitas.spaces.models import Space


def backoffice_access_required(view):
    """Organization admins, and space admins for the part about their own spaces."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_first(request)
        if not request.user.has_perm("spaces.use_backoffice", request.organization):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def space_admin_required(view):
    """Give the view the space named by ``space_id``: 404 outside the organization, 403 without the role."""

    @wraps(view)
    def wrapper(request, space_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return login_first(request)
        space = get_object_or_404(
            Space.objects.select_related("active_phase", "organization"),
            organization=request.organization,
            pk=space_id,
        )
        if not request.user.has_perm("spaces.admin_space", space):
            raise PermissionDenied
        return view(request, space, *args, **kwargs)

    return wrapper
