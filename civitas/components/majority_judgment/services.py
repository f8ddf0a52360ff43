"""Majority-judgment votes. ``check_…`` says why not, ``do_…`` changes data.

A ballot is cast through :func:`civitas.ballotbox.services.cast`: the participation row
("this account voted", unique per account and election) and the anonymous ballot go in
one transaction, so 20 simultaneous submissions by one voter store one ballot and the
others are told they already voted.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import verification_refusal
from civitas.ballotbox import services as ballotbox
from civitas.ballotbox.background import closing_under_way
from civitas.ballotbox.errors import Receipt, closing_errors
from civitas.ballotbox.keys import VoteKeyError
from civitas.ballotbox.models import ReceiptMode
from civitas.components.majority_judgment import counting
from civitas.components.majority_judgment.models import (
    Ballot,
    Candidate,
    Election,
    PaperBatch,
    PaperKeying,
    Participation,
)
from civitas.sealing.receipts import new_receipt_code, receipt_hash


class VoteError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def election_of(component) -> Election:
    try:
        election = component.election  # read with the component where the view asks for it
    except Election.DoesNotExist:
        election, _created = Election.objects.get_or_create(component=component)
    election.component = component
    return election


# --- voting --------------------------------------------------------------------------


def is_open_now(election: Election) -> bool:
    now = timezone.now()
    if election.opens_at and now < election.opens_at:
        return False
    return not (election.closes_at and now >= election.closes_at)


def has_voted(election: Election, user) -> bool:
    return user.is_authenticated and Participation.objects.filter(election=election, user=user).exists()


def check_can_vote(election: Election, user) -> str | None:
    """Why this person cannot vote now, or None."""
    if Election.objects.filter(pk=election.pk, frozen_at__isnull=False).exists():
        return _("This vote is closed.")
    reason = _refusal(election, user, has_candidates=election.candidates.exists())
    if reason is None and has_voted(election, user):
        return _("You have already voted. Each account votes once.")
    return reason


def _refusal(election: Election, user, *, has_candidates: bool) -> str | None:
    """Why this person cannot vote now, from what the request has read: the election row
    and its candidates. Closing and a second ballot are refused by the ballot box, in the
    transaction that would store the ballot."""
    if election.is_frozen:
        return _("This vote is closed.")
    if not is_open_now(election):
        return _("This vote is not open at this time.")
    if not has_candidates:
        return _("There is no candidate to grade yet.")
    if not user.is_authenticated:
        return _("Log in to vote.")
    if not user.has_perm("majority_judgment.vote", election.component):
        return verification_refusal(user, election.component, "vote") or _(
            "Voting is not open in this phase, or you may not take part in this space."
        )
    return None


def clean_grades(
    election: Election, data: Mapping[str, str], candidate_ids: list[int] | None = None
) -> dict[str, int]:
    """The grade of every candidate from the form's ``candidate-<id>`` fields.

    An ungraded candidate gets the lowest grade (0), as the ballot page says; a value
    that is not a grade of the scale is an error, so nothing is stored. ``candidate_ids``:
    the election's, for a caller that has read them.
    """
    size = len(election.grades)
    grades = {}
    if candidate_ids is None:
        candidate_ids = list(election.candidates.values_list("pk", flat=True))
    for candidate_id in candidate_ids:
        raw = (data.get(f"candidate-{candidate_id}") or "").strip()
        if not raw:
            grades[str(candidate_id)] = 0
            continue
        try:
            grade = int(raw)
        except ValueError:
            grade = -1
        if not 0 <= grade < size:
            raise VoteError(_("A grade on this ballot is not one of the grades offered. Nothing was stored."))
        grades[str(candidate_id)] = grade
    return grades


def do_vote(*, election: Election, user, data: Mapping[str, str]) -> Receipt:
    """Store the voter's ballot, encrypted; returns the receipt, shown once.

    Whether the account has voted already is not read first: the ballot box's insert of
    its participation refuses a second ballot (AlreadyParticipated) in the transaction
    that would store it.
    """
    candidate_ids = list(election.candidates.values_list("pk", flat=True))
    reason = _refusal(election, user, has_candidates=bool(candidate_ids))
    if reason:
        raise VoteError(reason)
    grades = clean_grades(election, data, candidate_ids)
    code = new_receipt_code()
    try:
        cast = ballotbox.cast(
            target=election,
            participation=Participation(election=election, user=user),
            payload={"grades": grades},
            receipt=receipt_hash(code),
            payload_bound=election.size_bound_for(grades),  # every candidate is in the ballot
        )
    except ballotbox.AlreadyParticipated as error:
        raise VoteError(_("You have already voted. Each account votes once.")) from error
    except ballotbox.Frozen as error:
        raise VoteError(_("This vote is closed.")) from error
    except VoteKeyError as error:
        raise VoteError(error.message) from error
    return Receipt(code=code, fingerprint=cast.fingerprint)


def find_receipt(election: Election, code: str) -> Ballot | bool | None:
    """The ballot a receipt leads to; in inclusion mode only True (counted), never the ballot."""
    try:
        digest = receipt_hash(code)
    except ValueError:
        return None
    if election.published_receipt_mode == ReceiptMode.INCLUSION:
        return ballotbox.receipt_counted(election, digest) or None
    return Ballot.objects.filter(election=election, receipt_hash=digest).first()


# --- administration ------------------------------------------------------------------


def _log(election: Election, user, action: str, target, before=None, after=None) -> None:
    component = election.component
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=target,
        space=component.space,
        before=before,
        after=after,
    )


def rules_lock_reason(election: Election) -> str | None:
    """Why the candidates and grades cannot change now, or None.

    They are what voters grade: changing them once a ballot is stored or keyed would
    leave ballots that grade another list, and while voting is open two voters could
    grade different lists.
    """
    if Election.objects.filter(pk=election.pk, frozen_at__isnull=False).exists():
        return _("This vote is closed: it can no longer change.")
    if election.has_ballots():
        return _("Ballots have been cast: the candidates and grades can no longer change.")
    if closing_under_way(election):
        return _("Its closing has been asked: the candidates and grades can no longer change.")
    if PaperKeying.objects.filter(batch__election=election).exists():
        return _("Paper ballots are being keyed: the candidates and grades can no longer change.")
    if election.component.active_phase_settings().get("voting_enabled") and is_open_now(election):
        return _(
            "Voting is open: the candidates and grades cannot change while participants may vote. "
            "Close voting in the settings of the current phase first."
        )
    return None


def _check_unvoted(election: Election) -> None:
    reason = rules_lock_reason(election)
    if reason:
        raise VoteError(reason)


@transaction.atomic
def do_save_election(*, form, user) -> Election:
    election = form.instance
    before = snapshot(Election.objects.get(pk=election.pk))
    if Election.objects.filter(pk=election.pk, frozen_at__isnull=False).exists():
        raise VoteError(_("This vote is closed: it can no longer change."))
    if form.cleaned_data["grades"] != before["grades"] or election.receipt_mode != before["receipt_mode"]:
        _check_unvoted(election)
    election = form.save()
    _log(election, user, "majority_judgment.update", election, before, snapshot(election))
    return election


@transaction.atomic
def do_add_candidate(
    *, election: Election, user, title: str, description: str = "", proposal=None
) -> Candidate:
    _check_unvoted(election)
    candidate = Candidate.objects.create(
        election=election,
        title=title,
        description=description,
        proposal=proposal,
        position=election.candidates.count(),
    )
    _log(election, user, "majority_judgment_candidate.create", candidate, after=snapshot(candidate))
    return candidate


@transaction.atomic
def do_delete_candidate(*, candidate: Candidate, user) -> None:
    election = candidate.election
    _check_unvoted(election)
    _log(election, user, "majority_judgment_candidate.delete", candidate, before=snapshot(candidate))
    candidate.delete()


def importable_proposals(election: Election, state: str):
    """Visible proposals of the space in the given state that are not candidates yet."""
    from civitas.components.proposals.models import Proposal

    taken = Candidate.objects.filter(election=election, proposal__isnull=False).values("proposal_id")
    return (
        Proposal.objects.visible()
        .filter(component__space=election.component.space, state=state)
        .exclude(pk__in=taken)
        .order_by("title", "pk")
    )


@transaction.atomic
def do_import_proposals(*, election: Election, user, proposals) -> list[Candidate]:
    return [
        do_add_candidate(
            election=election, user=user, title=proposal.title, description=proposal.body, proposal=proposal
        )  # fmt: skip
        for proposal in proposals
    ]


@transaction.atomic
def do_close(*, election: Election, user, trustee_keys: list[str] | None = None) -> Election:
    """Open the encrypted ballots, tally, seal and freeze; keep the merit profiles for the results."""
    try:
        with closing_errors(VoteError):
            ballotbox.close_and_seal(election, record_model=Ballot, trustee_keys=trustee_keys)
    except ballotbox.Frozen as error:
        raise VoteError(_("This vote is already closed.")) from error
    # Paper batches keyed but not counted are left out: closing says so in the log.
    uncounted = PaperBatch.objects.filter(election=election, counted_at__isnull=True).count()
    closing = {
        "seal": election.seal,
        "ballots": election.tally["ballots"],
        "by_channel": election.tally.get("by_channel", {}),
        "uncounted_batches": uncounted,
    }
    _log(election, user, "majority_judgment.close", election, after=closing)
    # Counts exist only once the ballots are opened: kept while voting, they would tell,
    # cast after cast, how each voter graded.
    counting.replace_counts(election, election.tally["profiles"])
    return election
