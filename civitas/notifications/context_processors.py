from django.utils.functional import SimpleLazyObject


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a template shows it: fragments rendered with the request (a
    # component's main column) run the context processors too, and show no badge.
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
    }
