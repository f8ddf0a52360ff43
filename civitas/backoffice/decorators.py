from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def organization_admin_required(view):
    """Only the current organization's admins; others get 403, visitors the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_organization_admin or user.organization_id != request.organization.pk:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
