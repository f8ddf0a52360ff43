"""Who holds which role where, looked up once per request.

Every permission on spaces and components goes through these helpers and the rules in
``rules.py``; lists use ``visible_spaces`` which applies the same rule in SQL.

The two-factor gate lives here too. When an organization requires a second factor of
those who hold a power, a session that has not given one holds no power: the
organization-admin flag and the admin, moderator and evaluator roles count for nothing
until it has. Every permission, in the back-office or on a public page (a results
preview, an open-data rebuild, a moderation link), is decided through these helpers, so
one check covers them all.
"""

from django.db.models import Q

from civitas.accounts.backends import HOLDS_SPACE_ROLE

# The organization-wide checks live a layer below; spaces and their callers use them from here too.
from civitas.organizations.access import is_organization_admin_of, second_factor_missing

ADMIN, MODERATOR, EVALUATOR, MEMBER = "admin", "moderator", "evaluator", "member"
# The roles that carry a power over other people's contributions or the space itself.
POWER_ROLES = frozenset({ADMIN, MODERATOR, EVALUATOR})


def holds_power(user) -> bool:
    """Organization admin, user manager, or admin, moderator or evaluator of a space: whether
    usable now or not."""
    return user.is_authenticated and (
        user.is_organization_admin
        or user.is_user_manager
        or any(roles & POWER_ROLES for roles in _all_roles_by_space(user).values())
    )


def awaits_second_factor(user) -> bool:
    """Holds a power that this session may not use until it gives a second factor."""
    return holds_power(user) and second_factor_missing(user)


def roles_by_space(user) -> dict[int, frozenset[str]]:
    """The user's space roles that this session may use (see the two-factor gate above)."""
    roles = _all_roles_by_space(user)
    if any(held & POWER_ROLES for held in roles.values()) and second_factor_missing(user):
        stripped = {space_id: held - POWER_ROLES for space_id, held in roles.items()}
        return {space_id: held for space_id, held in stripped.items() if held}
    return roles


def _all_roles_by_space(user) -> dict[int, frozenset[str]]:
    """All the user's space roles, fetched in one query and kept on the user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_civitas_space_roles", None)
    if cached is None and getattr(user, HOLDS_SPACE_ROLE, None) is False:
        cached = user._civitas_space_roles = {}  # read with the account: it holds none
    if cached is None:
        from civitas.spaces.models import SpaceRole

        collected: dict[int, set[str]] = {}
        for space_id, role in SpaceRole.objects.filter(user=user).values_list("space_id", "role"):
            collected.setdefault(space_id, set()).add(role)
        cached = {space_id: frozenset(roles) for space_id, roles in collected.items()}
        user._civitas_space_roles = cached
    return cached


def forget_roles(user) -> None:
    """Call after changing someone's roles within the same request."""
    if hasattr(user, "_civitas_space_roles"):
        del user._civitas_space_roles
    if hasattr(user, HOLDS_SPACE_ROLE):  # read with the account, before the change
        delattr(user, HOLDS_SPACE_ROLE)


def space_roles(user, space) -> frozenset[str]:
    return roles_by_space(user).get(space.pk, frozenset())


def administered_space_ids(user) -> set[int]:
    return {space_id for space_id, roles in roles_by_space(user).items() if ADMIN in roles}


def visible_spaces(queryset, user):
    """Published spaces the user may see: not private, or private with a role in it."""
    visible = ~Q(visibility="private") | Q(pk__in=list(roles_by_space(user)))
    if is_organization_admin_of(user, user.organization_id if user.is_authenticated else None):
        visible |= Q(organization_id=user.organization_id)
    return queryset.filter(published_at__isnull=False).filter(visible)


def organization_id_of(obj) -> int | None:
    """The organization behind a space, phase, component or organization."""
    from civitas.organizations.models import Organization

    if isinstance(obj, Organization):
        return obj.pk
    space = space_of(obj)
    return space.organization_id if space is not None else getattr(obj, "organization_id", None)


def space_of(obj):
    from civitas.spaces.models import Space

    if isinstance(obj, Space):
        return obj
    return getattr(obj, "space", None)
