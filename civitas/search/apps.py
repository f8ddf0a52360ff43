from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "civitas.search"
    verbose_name = _("Search")

    def ready(self):
        from civitas.components.freshness import not_shown_on_pages
        from civitas.search import builtin, indexing
        from civitas.search.models import IndexEntry

        builtin.register_core_resources()
        indexing.connect_signals()
        not_shown_on_pages(IndexEntry)
