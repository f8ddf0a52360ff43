"""The home page's block of recent proposals (registered from the app's ready())."""

from django.utils.translation import gettext_lazy as _

from civitas.homepage.builtin import visible_spaces
from civitas.homepage.forms import CountForm
from civitas.homepage.registry import BlockType, register_block_type
from civitas.maps.home import register_home_markers
from civitas.maps.markers import MAX_MARKERS


def _shown(spaces):
    """Proposals the home page may show: published, not hidden or withdrawn, in the spaces given."""
    from civitas.components.proposals.models import Proposal

    return (
        Proposal.objects.visible()
        .exclude(state=Proposal.State.WITHDRAWN)
        .filter(component__published_at__isnull=False, component__space__in=spaces)
        .select_related("component__space")
        .order_by("-published_at", "-pk")
    )


def recent_proposals(request, block) -> dict | None:
    proposals = list(_shown(visible_spaces(request))[: int(block.settings.get("count", 3))])
    return {"proposals": proposals} if proposals else None


def located_proposals(request, spaces) -> list:
    """The home map's proposals: what the recent-proposals block may show, with a place."""
    return list(_shown(spaces).filter(latitude__isnull=False, longitude__isnull=False)[:MAX_MARKERS])


def register_home_blocks() -> None:
    register_home_markers("proposals", located_proposals)
    register_block_type(
        BlockType(
            name="recent_proposals",
            label=_("Recent proposals"),
            description=_("The latest proposals published in the spaces the visitor may see."),
            heading=_("Latest proposals"),
            template="proposals/home_block.html",
            context=recent_proposals,
            form=CountForm,
            position=40,
        )
    )
