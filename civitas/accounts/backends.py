"""Authentication scoped to the request's organization.

An account belongs to exactly one organization: a password typed on commune B's host
is only ever checked against commune B's accounts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class OrganizationAccountBackend(ModelBackend):
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
