from civitas.core.gdpr import register_export
from civitas.notifications.models import Follow, Notification


@register_export("notifications")
def export_notifications(user) -> list[dict]:
    return [
        {
            "created_at": n.created_at.isoformat(),
            "text": n.text,
            "url": n.url,
            "read_at": n.read_at.isoformat() if n.read_at else "",
        }
        for n in Notification.objects.filter(user=user)
    ]


@register_export("follows")
def export_follows(user) -> list[dict]:
    return [
        {"type": follow.content_type.model, "id": follow.object_id, "since": follow.created_at.isoformat()}
        for follow in Follow.objects.filter(user=user).select_related("content_type")
    ]
