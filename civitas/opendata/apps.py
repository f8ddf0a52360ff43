from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "civitas.opendata"
    verbose_name = _("Open data")

    def ready(self):
        from civitas.opendata import builtin

        builtin.register_core_datasets()
