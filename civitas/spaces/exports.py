"""The spaces app's share of a user's GDPR export: the roles the person holds."""

from civitas.core.gdpr import iso, register_export
from civitas.spaces.models import SpaceRole


@register_export("space_roles", covers=[(SpaceRole, "user")])
def export_space_roles(user) -> list[dict]:
    roles = SpaceRole.objects.filter(user=user).select_related("space").order_by("created_at", "pk")
    return [
        {
            "space": role.space.title,
            "space_id": role.space_id,
            "role": role.get_role_display(),
            "public_title": role.title,
            "shown_on_the_space_page": role.is_public,
            "since": iso(role.created_at),
        }
        for role in roles
    ]
