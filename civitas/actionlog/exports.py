"""The action log's share of a user's GDPR export: the changes the person made."""

from civitas.actionlog.models import ActionLogEntry
from civitas.core.gdpr import iso, register_export


def _changed(before, after) -> list[str]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    return sorted(key for key in {*before, *after} if before.get(key) != after.get(key))


@register_export("actions_logged", covers=[(ActionLogEntry, "user")])
def export_actions(user) -> list[dict]:
    # The values before and after stay out, only the names of the fields changed: they are
    # the state of what was changed, often another person's data (an account an admin
    # edited, a block's justification), and the person's own data is in its own data set.
    entries = ActionLogEntry.objects.filter(user=user).select_related("space").order_by("created_at", "pk")
    return [
        {
            "action": entry.action,
            "on": entry.target_type,
            "on_id": entry.target_id,
            "on_title": entry.target_repr,
            "space": entry.space.title if entry.space else "",
            "fields_changed": ", ".join(_changed(entry.before, entry.after)),
            "at": iso(entry.created_at),
        }
        for entry in entries.iterator()
    ]
