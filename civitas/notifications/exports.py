from civitas.core.gdpr import register_export
from civitas.notifications.models import Follow, Notification, NotificationPreference


@register_export("notifications", covers=[(Notification, "user")])
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


@register_export("follows", covers=[(Follow, "user")])
def export_follows(user) -> list[dict]:
    return [
        {"type": follow.content_type.model, "id": follow.object_id, "since": follow.created_at.isoformat()}
        for follow in Follow.objects.filter(user=user).select_related("content_type")
    ]


@register_export("notification_preferences", covers=[(NotificationPreference, "user")])
def export_notification_preferences(user) -> list[dict]:
    return [
        {"email_me_about_notifications": preference.get_email_frequency_display()}
        for preference in NotificationPreference.objects.filter(user=user)
    ]
