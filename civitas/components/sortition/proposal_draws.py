"""Draw N proposals at random from a proposals component (Decidim's former "sortition" feature)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action
from civitas.components.models import Component
from civitas.components.sortition.models import ProposalDraw
from civitas.components.sortition.services import SortitionError
from civitas.sortition.draw import build_items_document, document_hash, draw_items, normalise_seed


def proposal_sources(component) -> list[Component]:
    """The proposals components of the same space: draws never reach into another space."""
    return list(
        Component.objects.filter(space_id=component.space_id, manifest_name="proposals").order_by("position")
    )


def candidates_of(source: Component):
    from civitas.components.proposals.models import Proposal

    # What the public sees, minus withdrawn proposals, in a fixed order (by id).
    return (
        Proposal.objects.filter(component=source).visible().filter(withdrawn_at__isnull=True).order_by("pk")
    )


def _log(component, user, action, draw, after) -> None:
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=draw,
        space=component.space,
        after=after,
    )


@transaction.atomic
def do_create_proposal_draw(*, component, user, source: Component, count: int, title: str) -> ProposalDraw:
    """Publish the list of candidate proposals and its hash; the seed comes later."""
    if source.space_id != component.space_id or source.manifest_name != "proposals":
        raise SortitionError(_("Choose a proposals component of this space."))
    if not source.is_published:
        # The published list shows proposal titles: they must already be public.
        raise SortitionError(_("Publish the proposals component first."))
    items = [{"id": str(p.pk), "title": p.title} for p in candidates_of(source)]
    if not 1 <= count <= len(items):
        raise SortitionError(
            _("Draw between 1 and %(total)s proposals: that is how many can be drawn.")
            % {"total": len(items)}
        )
    document = build_items_document(title=title, items=items, count=count)
    draw = ProposalDraw.objects.create(
        component=component,
        source=source,
        title=title,
        count=count,
        candidates=document,
        candidates_hash=document_hash(document),
    )
    _log(
        component,
        user,
        "sortition.proposal_draw_publish",
        draw,
        {"hash": draw.candidates_hash, "count": count},
    )
    return draw


@transaction.atomic
def do_draw_proposals(*, draw: ProposalDraw, user, seed: str, seed_source: str) -> list[str]:
    draw = (
        ProposalDraw.objects.select_for_update()
        .select_related("component__space__organization")
        .get(pk=draw.pk)
    )
    if draw.drawn_at:
        raise SortitionError(_("These proposals have already been drawn."))
    try:
        seed = normalise_seed(seed)
    except ValueError:
        raise SortitionError(_("Enter the seed announced at the draw."), {"seed": _("Required.")}) from None
    result = draw_items(draw.candidates, seed)
    draw.seed, draw.seed_source = seed, seed_source.strip()
    draw.chosen = result.chosen
    draw.drawn_at = timezone.now()
    draw.save(update_fields=["seed", "seed_source", "chosen", "drawn_at"])
    _log(draw.component, user, "sortition.proposal_draw", draw, {"seed": seed, "chosen": result.chosen})
    return result.chosen
