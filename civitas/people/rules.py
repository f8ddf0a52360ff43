"""Who handles the organization's people: admins, and user managers for the participants part."""

import rules

from civitas.organizations.access import manages_participants_of
from civitas.spaces import access
from civitas.spaces.rules import is_organization_admin


@rules.predicate
def manages_participants(user, obj) -> bool:
    return manages_participants_of(user, access.organization_id_of(obj))


# On an organization:
rules.add_perm("people.manage_participants", manages_participants)
rules.add_perm("people.manage_roles", is_organization_admin)
