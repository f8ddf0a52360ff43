import rules

from civitas.spaces import access
from civitas.spaces.rules import is_organization_admin


@rules.predicate
def moderates_some_space(user, organization) -> bool:
    if not user.is_authenticated or user.organization_id != organization.pk:
        return False
    return any(roles & {access.ADMIN, access.MODERATOR} for roles in access.roles_by_space(user).values())


# On an organization: who reaches the moderation queue (each sees their own spaces' part).
rules.add_perm("moderation.use_queue", is_organization_admin | moderates_some_space)
