from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComponentsConfig(AppConfig):
    name = "civitas.components"
    verbose_name = _("Components")

    def ready(self):
        from civitas.components.freshness import connect_signals

        connect_signals()
