"""Who holds which role where, looked up once per request.

Every permission on spaces and components goes through these helpers and the rules in
``rules.py``; lists use ``visible_spaces`` which applies the same rule in SQL.
"""

from django.db.models import Q

ADMIN, MODERATOR, EVALUATOR, MEMBER = "admin", "moderator", "evaluator", "member"


def roles_by_space(user) -> dict[int, frozenset[str]]:
    """All the user's space roles, fetched in one query and kept on the user object."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_civitas_space_roles", None)
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


def space_roles(user, space) -> frozenset[str]:
    return roles_by_space(user).get(space.pk, frozenset())


def is_organization_admin_of(user, organization_id: int | None) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_organization_admin
        and organization_id is not None
        and user.organization_id == organization_id
    )


def administered_space_ids(user) -> set[int]:
    return {space_id for space_id, roles in roles_by_space(user).items() if ADMIN in roles}


def visible_spaces(queryset, user):
    """Published spaces the user may see: not private, or private with a role in it."""
    visible = ~Q(visibility="private") | Q(pk__in=list(roles_by_space(user)))
    if user.is_authenticated and user.is_active and user.is_organization_admin:
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
