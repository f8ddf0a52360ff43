from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civitas.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from civitas.notifications import exports  # noqa: F401  (registers the GDPR export)
