"""The proposals data set of the open-data archive."""

from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.opendata.registry import Column, public_spaces, register_dataset


def _iso(value) -> str:
    return value.isoformat() if value else ""


def proposal_rows(organization):
    from civitas.components.models import Component
    from civitas.components.proposals.models import Proposal

    components = {
        component.pk: component
        for component in Component.objects.published()
        .filter(manifest_name="proposals", space__in=public_spaces(organization))
        .select_related("space__active_phase")
    }
    # Supports shown "with counts hidden" stay hidden in open data as on the pages.
    counts_hidden = {
        pk
        for pk, component in components.items()
        if component.active_phase_settings()["supports"] == "hidden"
    }
    proposals = Proposal.objects.visible().filter(component_id__in=list(components)).order_by("pk")
    for proposal in proposals.iterator(chunk_size=1000):
        component = components[proposal.component_id]
        proposal.component = component
        yield {
            "id": proposal.pk,
            "space": component.space.slug,
            "component_id": component.pk,
            "title": proposal.title,
            "body": plain_text(proposal.body),
            "address": proposal.address,
            "state": proposal.state,
            "supports": "" if component.pk in counts_hidden else proposal.support_count,
            "comments": proposal.comment_count,
            "published_at": _iso(proposal.published_at),
            "answer": plain_text(proposal.published_answer) if proposal.answer_published_at else "",
            "answered_at": _iso(proposal.answer_published_at),
            "url": proposal.get_absolute_url(),
        }


register_dataset(
    "proposals",
    _("Proposals"),
    _("Published proposals not hidden by moderation, with the published official answers."),
    columns=(
        Column("id", _("Number of the proposal on the platform")),
        Column("space", _("Short name of the space in addresses")),
        Column("component_id", _("Number of the proposals component within the space")),
        Column("title", _("Title")),
        Column("body", _("Text of the proposal, as plain text")),
        Column("address", _("Address the proposal is about (may be empty)")),
        Column("state", _("not_answered, evaluating, accepted, rejected, withdrawn, merged or split")),
        Column("supports", _("Number of supports (empty when the space shows no counts)")),
        Column("comments", _("Number of visible comments")),
        Column("published_at", _("When the proposal was published")),
        Column("answer", _("Official answer, as plain text (empty until published)")),
        Column("answered_at", _("When the official answer was published")),
        Column("url", _("Address of the proposal's page on the platform")),
    ),
    rows=proposal_rows,
    position=20,
)


def proposal_link_rows(organization):
    """Merges, splits and imports between proposals that are both in the proposals data set."""
    from civitas.components.models import Component
    from civitas.components.proposals.models import Proposal, ProposalLink

    components = Component.objects.published().filter(
        manifest_name="proposals", space__in=public_spaces(organization)
    )
    public = Proposal.objects.visible().filter(component__in=components)
    links = (
        ProposalLink.objects.filter(source__in=public, target__in=public)
        .select_related("target")
        .order_by("pk")
    )
    for link in links.iterator(chunk_size=1000):
        yield {
            "kind": link.kind,
            "source_id": link.source_id,
            "target_id": link.target_id,
            "date": _iso(link.target.published_at),
        }


register_dataset(
    "proposal_links",
    _("Links between proposals"),
    _(
        "Where proposals went in the synthesis: merged into a new one, split into several, "
        "or imported into another component. Both proposals are in the proposals data set."
    ),
    columns=(
        Column("kind", _("merged, split or imported")),
        Column("source_id", _("Number of the original proposal")),
        Column("target_id", _("Number of the proposal it led to")),
        Column("date", _("When the proposal it led to was published")),
    ),
    rows=proposal_link_rows,
    position=21,
)
