"""Write the action log. Call inside the transaction that makes the change, so both or neither happen."""

from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from civitas.actionlog.models import ActionLogEntry

# Secrets and bulky fields never go into the log.
_EXCLUDED_FIELDS = {"password", "settings_secret"}


def snapshot(instance, fields=None) -> dict:
    """A JSON-safe picture of a model instance, for the before/after columns."""
    data = model_to_dict(instance, fields=fields)
    clean = {}
    for key, value in data.items():
        if key in _EXCLUDED_FIELDS:
            continue
        if isinstance(value, FieldFile):
            value = value.name or ""
        elif isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        elif not isinstance(value, str | int | float | bool | dict | type(None)):
            value = str(value)
        clean[key] = value
    return clean


def log_action(
    *, organization, user, action: str, target, space=None, before=None, after=None
) -> ActionLogEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_action must run inside the transaction that makes the change")
    return ActionLogEntry.objects.create(
        organization=organization,
        user=user if user is not None and user.is_authenticated else None,
        space=space,
        action=action,
        target_type=target._meta.label if hasattr(target, "_meta") else type(target).__name__,
        target_id=str(getattr(target, "pk", "") or ""),
        target_repr=str(target)[:300],
        before=before,
        after=after,
    )
