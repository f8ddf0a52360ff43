"""The proposals component's share of a user's GDPR export.

Proposals written, supports given, and for staff the proposals they were assigned to
evaluate and the evaluation notes they wrote.
"""

from civitas.components.proposals.models import (
    Coauthorship,
    CollaborativeDraft,
    DraftCollaborator,
    EvaluationNote,
    Proposal,
    Support,
)
from civitas.core.gdpr import iso, register_export
from civitas.core.richtext import plain_text


def _where(proposal) -> dict:
    return {
        "space": proposal.component.space.title,
        "component": proposal.component.name,
        "proposal_id": proposal.pk,
        "proposal": proposal.title,
        "url": proposal.get_absolute_url(),
    }


@register_export(
    "proposals",
    covers=[(Proposal, "author")],
    withholds={
        (Proposal, "evaluators"): (
            "the staff assigned to evaluate a proposal work in the back office; their names are "
            "their data, not the author's, and the official answer speaks for the organization"
        )
    },
)
def export_proposals(user) -> list[dict]:
    proposals = (
        Proposal.objects.filter(author=user)
        .select_related("component__space")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    return [
        {
            **_where(proposal),
            "text": plain_text(proposal.body),
            "html": proposal.body,
            "address": proposal.address,
            "image": proposal.image.name if proposal.image else "",
            "tags": ", ".join(tag.name for tag in proposal.tags.all()),
            "state": proposal.get_state_display(),
            "supports": proposal.support_count,
            # Only the answer once published: a draft in preparation is the organization's work.
            "official_answer": plain_text(proposal.published_answer) if proposal.answer_published_at else "",
            "answer_published_at": iso(proposal.answer_published_at),
            "created_at": iso(proposal.created_at),
            "published_at": iso(proposal.published_at),
            "withdrawn_at": iso(proposal.withdrawn_at),
            "hidden_by_moderation_at": iso(proposal.hidden_at),
        }
        for proposal in proposals
    ]


@register_export("proposal_supports", covers=[(Support, "user")])
def export_supports(user) -> list[dict]:
    supports = (
        Support.objects.filter(user=user)
        .select_related("proposal__component__space")
        .order_by("created_at", "pk")
    )
    return [
        {**_where(support.proposal), "counted": support.counted, "supported_at": iso(support.created_at)}
        for support in supports
    ]


@register_export("proposals_to_evaluate", covers=[(Proposal, "evaluators")])
def export_evaluator_assignments(user) -> list[dict]:
    proposals = Proposal.objects.filter(evaluators=user).select_related("component__space").order_by("pk")
    return [{**_where(proposal), "state": proposal.get_state_display()} for proposal in proposals]


@register_export("evaluation_notes", covers=[(EvaluationNote, "author")])
def export_evaluation_notes(user) -> list[dict]:
    notes = (
        EvaluationNote.objects.filter(author=user)
        .select_related("proposal__component__space")
        .order_by("created_at", "pk")
    )
    return [
        {**_where(note.proposal), "note": note.body, "written_at": iso(note.created_at)} for note in notes
    ]


@register_export("proposal_coauthorships", covers=[(Coauthorship, "user")])
def export_coauthorships(user) -> list[dict]:
    """Every invitation to co-author, whatever became of it (accepted, declined, left…)."""
    rows = (
        Coauthorship.objects.filter(user=user)
        .select_related("proposal__component__space")
        .order_by("invited_at", "pk")
    )
    return [
        {
            **_where(row.proposal),
            "state": row.get_state_display(),
            "invited_at": iso(row.invited_at),
            "answered_at": iso(row.answered_at),
        }
        for row in rows
    ]


@register_export("collaborative_drafts", covers=[(CollaborativeDraft, "author"), (DraftCollaborator, "user")])
def export_collaborative_drafts(user) -> list[dict]:
    """Drafts the person opened, and those they asked to write (with the answer they got).

    Each draft's text as it stands; who wrote which words is in the version history
    export (``versions_written``).
    """
    opened = CollaborativeDraft.objects.filter(author=user).select_related("component__space")
    joined = DraftCollaborator.objects.filter(user=user).select_related("draft__component__space")

    def _draft(draft, role, **extra) -> dict:
        return {
            "space": draft.component.space.title,
            "component": draft.component.name,
            "draft_id": draft.pk,
            "title": draft.title,
            "text": plain_text(draft.body),
            "url": draft.get_absolute_url(),
            "state": draft.get_state_display(),
            "role": role,
            "hidden_by_moderation_at": iso(draft.hidden_at),
            **extra,
        }

    return [
        *(_draft(draft, "opened", opened_at=iso(draft.created_at)) for draft in opened.order_by("pk")),
        *(
            _draft(
                row.draft,
                row.get_state_display(),
                requested_at=iso(row.requested_at),
                answered_at=iso(row.answered_at),
            )
            for row in joined.order_by("requested_at", "pk")
        ),
    ]
