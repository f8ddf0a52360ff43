"""Who may act for an organization as a whole: its admins, once they have given a second factor.

These checks sit at the organization's layer, below spaces, the back-office and every app
with an admin page of its own (moderation, spam, authorizations), so that each of them can
guard its pages without importing the back-office. ``civitas.spaces.access`` builds the
space roles on top of them; the back-office only adds its own space-level decorators.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def second_factor_missing(user) -> bool:
    """The person's organization requires a second factor and this session gave none.

    Only a request's user carries ``is_verified`` (django-otp's middleware sets it from
    the session); a user loaded elsewhere (a task, a command) has no session to verify.
    """
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or not user.is_authenticated or user.organization_id is None:
        return False
    return user.organization.require_admin_two_factor and not is_verified()


def is_organization_admin_of(user, organization_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_organization_admin
        and organization_id is not None
        and user.organization_id == organization_id
        and not second_factor_missing(user)
    )


def is_user_manager_of(user, organization_id: int | None) -> bool:
    """A user manager of this organization: participants, verifications and blocks, nothing else."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_user_manager
        and organization_id is not None
        and user.organization_id == organization_id
        and not second_factor_missing(user)
    )


def manages_participants_of(user, organization_id: int | None) -> bool:
    """Organization admins and user managers: who handles the organization's participants."""
    return is_organization_admin_of(user, organization_id) or is_user_manager_of(user, organization_id)


def login_first(request):
    """Send a visitor to the log-in page, back to this page afterwards."""
    return redirect_to_login(request.get_full_path())


def organization_admin_required(view):
    """Only the current organization's admins; others get 403, visitors the log-in page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return login_first(request)
        if not is_organization_admin_of(user, request.organization.pk):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def participant_manager_required(view):
    """Organization admins and user managers (participants, verifications, blocks); 403 otherwise."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return login_first(request)
        if not manages_participants_of(user, request.organization.pk):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
