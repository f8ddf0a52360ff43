"""Permissions on spaces: role × visibility × publication, as django-rules predicates.

The same permission names serve views (``has_perm``), templates (``{% has_perm %}``)
and, later, the API, so one code path decides everywhere.
"""

import rules

from civitas.spaces import access


@rules.predicate
def is_organization_admin(user, obj) -> bool:
    return access.is_organization_admin_of(user, access.organization_id_of(obj))


def _has_space_role(*wanted: str):
    @rules.predicate(name=f"has_space_role({', '.join(wanted) or 'any'})")
    def predicate(user, obj) -> bool:
        space = access.space_of(obj)
        if space is None or not user.is_authenticated or not user.is_active:
            return False
        if user.organization_id != space.organization_id:
            return False
        roles = access.space_roles(user, space)
        return bool(roles & set(wanted)) if wanted else bool(roles)

    return predicate


is_space_admin = _has_space_role(access.ADMIN)
is_space_moderator = _has_space_role(access.MODERATOR)
is_space_evaluator = _has_space_role(access.EVALUATOR)
has_any_space_role = _has_space_role()


@rules.predicate
def space_is_published(user, obj) -> bool:
    space = access.space_of(obj)
    return space is not None and space.is_published


@rules.predicate
def space_is_public(user, obj) -> bool:
    space = access.space_of(obj)
    return space is not None and space.visibility == "public"


@rules.predicate
def space_is_not_private(user, obj) -> bool:
    space = access.space_of(obj)
    return space is not None and space.visibility != "private"


@rules.predicate
def is_participant_of_the_organization(user, obj) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.email_confirmed_at is not None
        and user.organization_id == access.organization_id_of(obj)
    )


@rules.predicate
def administers_some_space(user, organization) -> bool:
    return (
        user.is_authenticated
        and user.organization_id == organization.pk
        and bool(access.administered_space_ids(user))
    )


@rules.predicate
def group_shows_a_process(user, group) -> bool:
    from civitas.spaces.groups import visible_processes

    return visible_processes(group, user).exists()


can_admin_space = is_organization_admin | is_space_admin

# The checks that need no query come first: a participant on a public space is let in
# without reading their roles (rules stops at the first predicate that decides).
rules.add_perm(
    "spaces.view_space",
    (space_is_published & space_is_not_private) | can_admin_space | (space_is_published & has_any_space_role),
)
rules.add_perm(
    "spaces.participate_in_space",
    is_participant_of_the_organization & space_is_published & (space_is_public | has_any_space_role),
)
rules.add_perm("spaces.admin_space", can_admin_space)
rules.add_perm("spaces.moderate_space", can_admin_space | is_space_moderator)
rules.add_perm("spaces.evaluate_space", can_admin_space | is_space_evaluator)
# On an organization:
rules.add_perm("spaces.create_space", is_organization_admin)
rules.add_perm("spaces.use_backoffice", is_organization_admin | administers_some_space)
# A copy is a new space of the organization: it needs the right to create one (an
# organization admin's), on top of administering the space it copies.
rules.add_perm("spaces.copy_space", can_admin_space & is_organization_admin)
# Process groups gather spaces of the whole organization: the organization admins' business.
rules.add_perm("spaces.manage_groups", is_organization_admin)
# A group is seen through its processes: without one the visitor may see, it does not exist for them.
rules.add_perm("spaces.view_group", is_organization_admin | group_shows_a_process)
