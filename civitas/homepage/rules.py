"""Who arranges the home page: the organization's admins (with their second factor)."""

import rules

from civitas.spaces.rules import is_organization_admin

rules.add_perm("homepage.arrange_home", is_organization_admin)
