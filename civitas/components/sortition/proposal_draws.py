"""Draw N proposals at random from a proposals component (Decidim's former "sortition" feature)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.actionlog.services import log_action
from civitas.components.models import Component
from civitas.components.sortition.models import ProposalDraw
from civitas.components.sortition.services import (
    SortitionError,
    check_can_enter_seed,
    recheck_seed_rule,
    seed_from_entries,
)
from civitas.sortition.draw import (
    COMMIT_REVEAL,
    build_items_document,
    document_hash,
    draw_items,
    publish_document,
)


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
def do_create_proposal_draw(
    *, component, user, source: Component, count: int, title: str, rule: dict
) -> ProposalDraw:
    """Publish the list of candidate proposals, where the seed will come from, and their hash.

    The seed itself comes later, from that source only (see ``services.build_seed_rule``).
    """
    if source.space_id != component.space_id or source.manifest_name != "proposals":
        raise SortitionError(_("Choose a proposals component of this space."))
    if not source.is_published:
        # The published list shows proposal titles: they must already be public.
        raise SortitionError(_("Publish the proposals component first."))
    items = [{"id": str(p.pk), "title": p.title} for p in candidates_of(source)]
    if not 1 <= count <= len(items):
        raise SortitionError(
            ngettext(
                "Draw %(total)s proposal: that is how many can be drawn.",
                "Draw between 1 and %(total)s proposals: that is how many can be drawn.",
                len(items),
            )
            % {"total": len(items)}
        )
    rule = recheck_seed_rule(rule)
    document = publish_document(build_items_document(title=title, items=items, count=count), rule)
    draw = ProposalDraw.objects.create(
        component=component,
        source=source,
        title=title,
        count=count,
        candidates=document,
        candidates_hash=document_hash(document),
        seed_source=rule["description"],
    )
    _log(
        component,
        user,
        "sortition.proposal_draw_publish",
        draw,
        {"hash": draw.candidates_hash, "count": count, "seed": rule},
    )
    return draw


def check_can_draw_proposals(draw: ProposalDraw, now=None) -> str | None:
    if draw.drawn_at:
        return _("These proposals have already been drawn.")
    return check_can_enter_seed(draw.seed_rule, now)


@transaction.atomic
def do_draw_proposals(*, draw: ProposalDraw, user, seed: str = "", reveals: list[str] = ()) -> list[str]:
    """Draw with the seed from the source fixed at publication (see ``services.do_draw``)."""
    draw = (
        ProposalDraw.objects.select_for_update()
        .select_related("component__space__organization")
        .get(pk=draw.pk)
    )
    reason = check_can_draw_proposals(draw)
    if reason:
        raise SortitionError(reason)
    rule = draw.seed_rule
    seed = seed_from_entries(rule, seed=seed, reveals=reveals)
    if document_hash(draw.candidates) != draw.candidates_hash:
        raise SortitionError(_("The stored list no longer matches its published hash."))
    result = draw_items(draw.candidates, seed)
    draw.seed = seed
    draw.seed_reveals = [secret.strip() for secret in reveals] if rule["kind"] == COMMIT_REVEAL else []
    draw.chosen = result.chosen
    draw.drawn_at = timezone.now()
    draw.save(update_fields=["seed", "seed_reveals", "chosen", "drawn_at"])
    _log(
        draw.component,
        user,
        "sortition.proposal_draw",
        draw,
        {"seed": seed, "reveals": draw.seed_reveals, "chosen": result.chosen},
    )
    return result.chosen
