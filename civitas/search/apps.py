from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "civitas.search"
    verbose_name = _("Search")

    def ready(self):
        from civitas.search import builtin, indexing

        builtin.register_core_resources()
        indexing.connect_signals()
