from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionLogConfig(AppConfig):
    name = "civitas.actionlog"
    verbose_name = _("Action log")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from civitas.actionlog import exports  # noqa: F401  (registers the GDPR export)

        # Each app's ``actions.py`` gives the sentences of the codes it logs.
        autodiscover_modules("actions")
