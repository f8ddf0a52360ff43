from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "civitas.components.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.proposals.manifest import manifest
        from civitas.components.proposals.models import Proposal
        from civitas.moderation.registry import register_moderatable

        registry.register(manifest)
        register_moderatable(
            Proposal,
            space_of=lambda proposal: proposal.component.space,
            author_of=lambda proposal: proposal.author,
            title_of=lambda proposal: proposal.title,
        )
