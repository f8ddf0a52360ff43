"""Recording versions, and telling an editor what changed since they started.

``record_version`` belongs in the same transaction as the save it records, after the
save, with the object's row locked by the caller (``select_for_update``) when two people
may edit it at once: the lock orders their versions, and the unique number catches a
caller that forgot it rather than letting two versions share a number.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from civitas.versions import registry
from civitas.versions.diff import Segment, text_of_html, word_diff
from civitas.versions.models import Version


def tracked_fields(instance: models.Model) -> dict[str, str]:
    spec = registry.for_model(type(instance))
    return {
        name: "" if getattr(instance, name) is None else str(getattr(instance, name)) for name in spec.fields
    }


def _versions_of(instance: models.Model):
    content_type = ContentType.objects.get_for_model(type(instance), for_concrete_model=False)
    return Version.objects.filter(content_type=content_type, object_id=instance.pk)


def versions_of(instance: models.Model):
    """Oldest first, with their authors."""
    return _versions_of(instance).select_related("author").order_by("number")


def latest_version(instance: models.Model) -> Version | None:
    return _versions_of(instance).order_by("-number").first()


def record_version(instance: models.Model, *, author, note: str = "") -> Version | None:
    """Keep the tracked fields as they are now; nothing when they did not change."""
    spec = registry.for_model(type(instance))
    fields = tracked_fields(instance)
    last = latest_version(instance)
    if last is not None and last.fields == fields and not note:
        return None
    return Version.objects.create(
        organization=spec.organization_of(instance),
        content_type=ContentType.objects.get_for_model(type(instance), for_concrete_model=False),
        object_id=instance.pk,
        number=(last.number if last else 0) + 1,
        author=author,
        fields=fields,
        note=note,
    )


def field_differences(spec: registry.Versioned, old: dict, new: dict) -> list[tuple[str, list[Segment]]]:
    """(label, word differences) of every tracked field, rich fields compared on their words."""
    differences = []
    for name in spec.fields:
        before, after = old.get(name, ""), new.get(name, "")
        if name in spec.rich_fields:
            before, after = text_of_html(before), text_of_html(after)
        differences.append((spec.label(name), word_diff(before, after)))
    return differences


def changed_since(instance: models.Model, number: int) -> Version | None:
    """The newest version when someone saved after version ``number``, else None.

    An editor's form carries the number it started from; a save that finds a newer one
    is refused and shown the difference instead of overwriting the other person's words.
    """
    last = latest_version(instance)
    return last if last is not None and last.number > number else None
