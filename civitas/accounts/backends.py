"""Authentication scoped to the request's organization.

An account belongs to exactly one organization: a password typed on commune B's host
is only ever checked against commune B's accounts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

# Set on the account a request loads: its unread notifications when it was loaded, and
# whether it holds any space role (spaces.access reads the roles only if it does).
UNREAD_AT_LOAD = "unread_notifications_at_load"
HOLDS_SPACE_ROLE = "holds_space_role_at_load"


def _unread_notifications():
    """Unread notifications of the outer account, as a subquery (index user, read_at)."""
    notification = get_user_model()._meta.get_field("notifications").related_model
    unread = (
        notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), 0)


def _holds_space_role():
    role = get_user_model()._meta.get_field("space_roles").related_model
    return Exists(role.objects.filter(user=OuterRef("pk")))


class OrganizationAccountBackend(ModelBackend):
    def get_user(self, user_id):
        """The request's account with its organization, its unread notification count and
        whether it holds a space role, in one query: the organization middleware takes the
        organization from it when it serves the request's host, the page header shows the
        count, and a participant without any role is not asked for their roles."""
        user = (
            get_user_model()
            ._default_manager.select_related("organization")
            .annotate(**{UNREAD_AT_LOAD: _unread_notifications(), HOLDS_SPACE_ROLE: _holds_space_role()})
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def authenticate(self, request, username=None, password=None, system=False, **kwargs):
        organization = getattr(request, "organization", None)
        if system or organization is None or not username or password is None:
            return None
        user = _find(organization_id=organization.pk, email=username)
        if user is None:
            get_user_model()().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not user.is_deleted


class SystemAdminBackend(ModelBackend):
    """System admins log in on the system panel only; they have no organization."""

    def authenticate(self, request, username=None, password=None, system=False, **kwargs):
        if not system or not username or password is None:
            return None
        user = _find(organization_id=None, email=username)
        if user is None or not user.is_system_admin:
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def _find(*, organization_id, email):
    return (
        get_user_model().objects.filter(organization_id=organization_id, email__iexact=email.strip()).first()
    )
