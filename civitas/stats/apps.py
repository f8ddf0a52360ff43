from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "civitas.stats"
    verbose_name = _("Statistics")

    def ready(self):
        from civitas.stats import builtin

        builtin.register_core_actions()
