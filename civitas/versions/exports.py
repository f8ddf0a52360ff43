from civitas.core.gdpr import iso, register_export
from civitas.versions.models import Version


@register_export("versions_written", covers=[(Version, "author")])
def versions_written(user) -> list[dict]:
    """The versions a person saved: what they wrote, on what, and when."""
    return [
        {
            "content": version.content_type.model,
            "object_id": version.object_id,
            "number": version.number,
            "created_at": iso(version.created_at),
            "note": version.note,
            **{f"field_{name}": value for name, value in version.fields.items()},
        }
        for version in Version.objects.filter(author=user).select_related("content_type").order_by("pk")
    ]
