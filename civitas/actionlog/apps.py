from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionLogConfig(AppConfig):
    name = "civitas.actionlog"
    verbose_name = _("Action log")

    def ready(self):
        from civitas.actionlog import exports  # noqa: F401  (registers the GDPR export)
