from django.utils.functional import SimpleLazyObject

from civitas.accounts.backends import UNREAD_AT_LOAD


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Read with the account when the request loaded it (accounts.backends), else counted
    # only when a template shows it: fragments rendered with the request (a component's
    # main column) run the context processors too, and show no badge.
    at_load = getattr(user, UNREAD_AT_LOAD, None)
    if at_load is not None:
        return {"unread_notification_count": at_load}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: user.notifications.filter(read_at__isnull=True).count()
        )
    }
