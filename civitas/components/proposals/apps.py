from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "civitas.components.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.proposals.manifest import manifest

        registry.register(manifest)
