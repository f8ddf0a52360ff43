"""Who may put pictures into texts: the people of the back-office (organization admins and
space admins). Participants write rich text too, but never upload."""

import rules

from civitas.spaces.rules import administers_some_space, is_organization_admin

rules.add_perm("editor.upload_image", is_organization_admin | administers_some_space)
