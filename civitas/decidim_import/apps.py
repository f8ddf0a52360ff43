from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecidimImportConfig(AppConfig):
    name = "civitas.decidim_import"
    label = "decidim_import"
    verbose_name = _("Import from Decidim")

    def ready(self):
        from civitas.actionlog.registry import register_actions, register_details

        register_actions({"decidim.import": _("imported a Decidim open-data export")})
        register_details(
            {
                "source_host": _("Decidim host"),
                "created": _("records created"),
                "updated": _("records updated"),
                "unmapped": _("rows not imported"),
            }
        )
