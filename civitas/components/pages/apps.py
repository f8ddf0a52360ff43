from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "civitas.components.pages"
    label = "pages"
    verbose_name = _("Pages")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.pages.manifest import manifest

        registry.register(manifest)
