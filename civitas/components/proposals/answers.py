"""Official answers and evaluation: admins and assigned evaluators prepare, admins publish.

Each ``do_*`` writes one action-log entry in the same transaction; publishing an
answer tells the proposal's followers (its author follows it from the start).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.actionlog.services import log_action
from civitas.components.proposals.models import EvaluationNote, Proposal
from civitas.notifications.kinds import register_kind
from civitas.notifications.services import notify_followers

register_kind("proposal_answered", _("Your followed proposal “%(target)s” was answered: %(state)s."))


def can_evaluate(user, proposal) -> bool:
    """Space admins evaluate every proposal; evaluators only those assigned to them."""
    space = proposal.component.space
    if user.has_perm("spaces.admin_space", space):
        return True
    return user.has_perm("spaces.evaluate_space", space) and proposal.evaluators.filter(pk=user.pk).exists()


def _answer_snapshot(proposal) -> dict:
    return {
        "answer_state": proposal.answer_state,
        "answer_custom_state": proposal.answer_custom_state_id,
        "answer": proposal.answer,
        "estimated_cost": str(proposal.estimated_cost or ""),
        "feasibility_notes": proposal.feasibility_notes,
    }


@transaction.atomic
def do_save_answer(*, proposal, user, data: dict, publish: bool) -> None:
    before = _answer_snapshot(proposal)
    fields = ("answer_state", "answer_custom_state", "answer", "estimated_cost", "feasibility_notes")
    for field in fields:
        setattr(proposal, field, data.get(field))
    proposal.answered_at = timezone.now()
    # Only the answer's own columns: the object may be older than counters that moved
    # meanwhile (supports, comments), and a full save would write them back.
    proposal.save(update_fields=[*fields, "answered_at", "updated_at"])
    if publish:
        _publish(proposal)
    log_action(
        organization=proposal.component.space.organization,
        user=user,
        action="proposal.answer_publish" if publish else "proposal.answer_save",
        target=proposal,
        space=proposal.component.space,
        before=before,
        after=_answer_snapshot(proposal),
    )


def _publish(proposal) -> None:
    proposal.state = proposal.answer_state or proposal.state
    proposal.custom_state = proposal.answer_custom_state
    proposal.published_answer = proposal.answer
    proposal.published_cost = proposal.estimated_cost
    proposal.published_feasibility_notes = proposal.feasibility_notes
    proposal.answer_published_at = timezone.now()
    proposal.save(
        update_fields=[
            "state",
            "custom_state",
            "published_answer",
            "published_cost",
            "published_feasibility_notes",
            "answer_published_at",
            "updated_at",
        ]
    )
    state = proposal.custom_state.name if proposal.custom_state else proposal.get_state_display()
    notify_followers(
        proposal,
        kind="proposal_answered",
        target=proposal,
        url=proposal.get_absolute_url(),
        extra={"state": str(state)},
    )


@transaction.atomic
def do_publish_pending_answers(*, component, user) -> int:
    """Publish every prepared answer of a component at once, e.g. after a council meeting."""
    pending = [
        p
        for p in Proposal.objects.select_for_update().filter(component=component, answered_at__isnull=False)
        if p.has_unpublished_answer
    ]
    for proposal in pending:
        proposal.component = component
        _publish(proposal)
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.answers_publish_batch",
        target=component,
        space=component.space,
        after={"proposals": [p.pk for p in pending]},
    )
    return len(pending)


@transaction.atomic
def do_add_note(*, proposal, user, body: str) -> EvaluationNote:
    note = EvaluationNote.objects.create(proposal=proposal, author=user, body=body)
    log_action(
        organization=proposal.component.space.organization,
        user=user,
        action="proposal.note_add",
        target=proposal,
        space=proposal.component.space,
        after={"note": note.pk},
    )
    return note


@transaction.atomic
def do_assign_evaluators(*, proposal, user, evaluators) -> None:
    before = sorted(proposal.evaluators.values_list("pk", flat=True))
    proposal.evaluators.set(evaluators)
    log_action(
        organization=proposal.component.space.organization,
        user=user,
        action="proposal.evaluators_assign",
        target=proposal,
        space=proposal.component.space,
        before={"evaluators": before},
        after={"evaluators": sorted(e.pk for e in evaluators)},
    )


@transaction.atomic
def do_add_custom_state(*, component, user, form):
    state = form.save(commit=False)
    state.component = component
    state.position = component.custom_states.count()
    state.save()
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.custom_state_add",
        target=state,
        space=component.space,
        after={"name": state.name, "colour": state.colour},
    )
    return state
