"""Authentication scoped to the request's organization.

An account belongs to exactly one organization: a password typed on commune B's host
is only ever checked against commune B's accounts.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models.expressions import RawSQL

# Set on the account a request loads: its unread notifications when it was loaded, and
# whether it holds any space role (spaces.access reads the roles only if it does).
UNREAD_AT_LOAD = "unread_notifications_at_load"
HOLDS_SPACE_ROLE = "holds_space_role_at_load"

# Every logged-in request runs the account's query. Written as ORM subqueries (Subquery of
# a Count, Exists), compiling it cost more than the rest of the query and its run together
# (5.1 against 2.3 ms a query, in-process on a loaded 2-core machine): the two subqueries are written here in
# SQL, from the models' table and column names, so that the ORM has nothing to compile.


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model, field: str) -> str:
    return f"{_table(model)}.{connection.ops.quote_name(model._meta.get_field(field).column)}"


def _of_the_account(relation: str) -> tuple[object, str]:
    """The model behind ``relation`` of the account and its condition "belongs to the
    account of the outer query" (its foreign key to the account's primary key)."""
    account = get_user_model()
    model = account._meta.get_field(relation).related_model
    return model, f"{_column(model, 'user')} = {_column(account, account._meta.pk.name)}"


# The SQL below is built from the models' table and column names only, never from input.


def _unread_notifications() -> RawSQL:
    """Unread notifications of the outer account (index user, read_at)."""
    notification, mine = _of_the_account("notifications")
    unread = f"{_column(notification, 'read_at')} IS NULL"
    return RawSQL(f"SELECT COUNT(*) FROM {_table(notification)} WHERE {mine} AND {unread}", ())  # noqa: S608, S611


def _holds_space_role() -> RawSQL:
    role, mine = _of_the_account("space_roles")
    return RawSQL(f"EXISTS (SELECT 1 FROM {_table(role)} WHERE {mine})", ())  # noqa: S608, S611


class OrganizationAccountBackend(ModelBackend):
    def get_user(self, user_id):
        """The request's account with its organization, its unread notification count and
        whether it holds a space role, in one query: the organization middleware takes the
        organization from it when it serves the request's host, the page header shows the
        count, and a participant without any role is not asked for their roles."""
        # The primary key is unique: no ordering or limit for the ORM to compile (first()).
        found = list(
            get_user_model()
            ._default_manager.select_related("organization")
            .annotate(**{UNREAD_AT_LOAD: _unread_notifications(), HOLDS_SPACE_ROLE: _holds_space_role()})
            .filter(pk=user_id)
        )
        user = found[0] if found else None
        if user is not None:
            # SQLite gives the EXISTS as 0 or 1.
            setattr(user, HOLDS_SPACE_ROLE, bool(getattr(user, HOLDS_SPACE_ROLE)))
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
