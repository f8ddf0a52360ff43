"""Paper ballots: printing serial numbers, keying every ballot twice, counting a ballot box.

The rule is the consultations' double entry (:mod:`civitas.core.double_entry`), always
on for a vote: a ballot counts only once two different people keyed it and every keying
of it gives the same grades. A difference is resolved by keeping one person's keying
(the others take its grades) or by deleting the wrong one and keying it again. A batch
(one ballot box) counts as a whole, when every ballot in it agrees and as many ballots
were keyed as the box held; a serial number counts once in the whole vote.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.actionlog.services import log_action, snapshot
from civitas.ballotbox import services as ballotbox
from civitas.ballotbox.errors import closing_errors
from civitas.components.majority_judgment.models import (
    CountedSerial,
    Election,
    PaperBatch,
    PaperKeying,
    PaperPrintRun,
)
from civitas.components.majority_judgment.services import VoteError, clean_grades
from civitas.core import serials
from civitas.core.counted_serials import claim_serials
from civitas.core.double_entry import FormStatus, form_status

MAX_COPIES = 2000


class PaperError(VoteError):
    """A paper-ballot action refused; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field: str = ""):
        super().__init__(message)
        self.field = field


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


def _is_closed(election: Election) -> bool:
    return Election.objects.filter(pk=election.pk, frozen_at__isnull=False).exists()


# --- printing ------------------------------------------------------------------------


def do_print_run(*, election: Election, user, copies: int) -> PaperPrintRun:
    """Issue ``copies`` new serial numbers, to be printed on as many paper ballots."""
    if not 1 <= copies <= MAX_COPIES:
        raise PaperError(_("Print between 1 and %(max)s ballots at a time.") % {"max": MAX_COPIES})
    if _is_closed(election):
        raise PaperError(_("This vote is closed."))
    with transaction.atomic():
        # The election row is locked so that two print runs at once get distinct serials.
        Election.objects.select_for_update().filter(pk=election.pk).first()
        first = serials_issued(election) + 1
        run = PaperPrintRun.objects.create(election=election, first=first, count=copies, created_by=user)
        _log(election, user, "majority_judgment.paper_print", run, after={"first": first, "count": copies})
    return run


def serials_issued(election: Election) -> int:
    """The highest serial number printed so far (serials are issued from 1, without gaps)."""
    last = PaperPrintRun.objects.filter(election=election).aggregate(last=Max(F("first") + F("count") - 1))[
        "last"
    ]
    return last or 0


def serials_of(run: PaperPrintRun) -> list[str]:
    return [serials.format_serial(number) for number in range(run.first, run.first + run.count)]


_SERIAL_MESSAGES = {
    serials.SerialProblem.MISSING: lambda: _("Type the serial number printed on the ballot."),
    serials.SerialProblem.MISTYPED: lambda: _(
        "This serial number is mistyped (its last two digits do not match)."
    ),
    serials.SerialProblem.NOT_ISSUED: lambda: _("No ballot was printed with this serial number."),
}


def canonical_serial(election: Election, text: str) -> str:
    try:
        number = serials.parse_serial(text, serials_issued(election))
    except serials.SerialError as error:
        raise PaperError(_SERIAL_MESSAGES[error.problem](), "serial") from None
    return serials.format_serial(number)


# --- batches and keying --------------------------------------------------------------


def _check_batch_open(batch: PaperBatch) -> None:
    if batch.counted_at is not None:
        raise PaperError(_("This batch has been counted: it cannot change any more."))
    if _is_closed(batch.election):
        raise PaperError(_("This vote is closed."))


def _lock_open_batch(batch: PaperBatch) -> None:
    """Inside a transaction: wait for a count of this batch in flight, then check it is still open.

    Counting locks the batch row too, so no keying slips in between the keyings it
    counted and their deletion.
    """
    locked = PaperBatch.objects.select_for_update().get(pk=batch.pk)
    batch.counted_at = locked.counted_at
    _check_batch_open(batch)


def do_create_batch(*, election: Election, user, label: str, expected_count: int) -> PaperBatch:
    if _is_closed(election):
        raise PaperError(_("This vote is closed."))
    with transaction.atomic():
        batch = PaperBatch.objects.create(
            election=election, label=label, expected_count=expected_count, created_by=user
        )
        _log(
            election,
            user,
            "majority_judgment.paper_batch_create",
            batch,
            after={"label": label, "expected_count": expected_count},
        )
    return batch


def do_set_expected_count(*, batch: PaperBatch, user, expected_count: int) -> None:
    """Correct the number of ballots the box held (a miscount when it was opened)."""
    _check_batch_open(batch)
    with transaction.atomic():
        _lock_open_batch(batch)
        before = {"expected_count": batch.expected_count}
        batch.expected_count = expected_count
        batch.save(update_fields=["expected_count"])
        _log(
            batch.election,
            user,
            "majority_judgment.paper_batch_expected",
            batch,
            before=before,
            after={"expected_count": expected_count},
        )


def do_key_ballot(
    *, batch: PaperBatch, user, serial: str, data: Mapping[str, str], replace: bool = False
) -> PaperKeying:
    """Key one paper ballot: the same grades field as online; ``replace`` corrects one's own keying."""
    _check_batch_open(batch)
    election = batch.election
    canonical = canonical_serial(election, serial)
    payload = {"grades": clean_grades(election, data)}
    if CountedSerial.objects.filter(election=election, serial=canonical).exists():
        raise PaperError(
            _("The ballot %(serial)s has already been counted.") % {"serial": canonical}, "serial"
        )
    already = _("You have already keyed the ballot %(serial)s in this batch.") % {"serial": canonical}
    with transaction.atomic():
        _lock_open_batch(batch)
        existing = (
            PaperKeying.objects.select_for_update()
            .filter(batch=batch, keyed_by=user, serial=canonical)
            .first()
        )
        if existing and not replace:
            raise PaperError(already, "serial")
        if existing:
            existing.payload = payload
            existing.save(update_fields=["payload", "updated_at"])
            return existing
        try:
            with transaction.atomic():
                return PaperKeying.objects.create(
                    batch=batch, keyed_by=user, serial=canonical, payload=payload
                )
        except IntegrityError:
            raise PaperError(already, "serial") from None


@dataclass
class Discrepancy:
    serial: str
    keyings: list[PaperKeying]
    reason: str


@dataclass
class BatchStatus:
    keyings: list[PaperKeying]
    by_serial: dict[str, list[PaperKeying]]
    keyers: list
    discrepancies: list[Discrepancy]

    @property
    def ballots(self) -> int:
        return len(self.by_serial)


def batch_status(batch: PaperBatch) -> BatchStatus:
    """Keyed ballots, keyers, and every ballot not yet agreed by two people."""
    keyings = list(batch.keyings.select_related("keyed_by").order_by("serial", "pk"))
    by_serial: dict[str, list[PaperKeying]] = {}
    for keying in keyings:
        by_serial.setdefault(keying.serial, []).append(keying)
    discrepancies = []
    for serial, group in by_serial.items():
        status = form_status(
            group, keyer=lambda keying: keying.keyed_by_id, payload=lambda keying: keying.payload
        )
        if status is FormStatus.ONE_PERSON:
            discrepancies.append(Discrepancy(serial, group, _("keyed by one person only")))
        elif status is FormStatus.DIFFERENT:
            discrepancies.append(Discrepancy(serial, group, _("the keyings differ")))
    keyers = sorted({keying.keyed_by for keying in keyings}, key=lambda person: person.pk)
    return BatchStatus(keyings, by_serial, keyers, discrepancies)


def check_can_count(batch: PaperBatch, status: BatchStatus | None = None) -> str | None:
    if batch.counted_at is not None:
        return _("This batch has already been counted.")
    if _is_closed(batch.election):
        return _("This vote is closed.")
    status = status or batch_status(batch)
    if not status.ballots:
        return _("No ballot has been keyed in this batch.")
    if status.discrepancies:
        return _("Double entry: every ballot must be keyed by two different people, identically.")
    if status.ballots != batch.expected_count:
        return ngettext(
            "%(keyed)s ballot is keyed but the box held %(expected)s: key the missing ones "
            "or correct the number of ballots in the box.",
            "%(keyed)s ballots are keyed but the box held %(expected)s: key the missing ones "
            "or correct the number of ballots in the box.",
            status.ballots,
        ) % {"keyed": status.ballots, "expected": batch.expected_count}
    return None


def do_resolve(*, batch: PaperBatch, user, keeping: PaperKeying) -> None:
    """Resolve a difference: every keying of the ballot takes the kept keying's grades."""
    _check_batch_open(batch)
    if keeping.batch_id != batch.pk:
        raise PaperError(_("This keying does not belong to this batch."))
    with transaction.atomic():
        _lock_open_batch(batch)
        changed = PaperKeying.objects.filter(batch=batch, serial=keeping.serial).exclude(pk=keeping.pk)
        before = {str(keying.pk): keying.payload for keying in changed}
        changed.update(payload=keeping.payload, updated_at=timezone.now())
        _log(
            batch.election,
            user,
            "majority_judgment.paper_resolve",
            batch,
            before=before,
            after={"serial": keeping.serial, "kept": keeping.pk},
        )


def do_delete_keying(*, keying: PaperKeying, user) -> None:
    _check_batch_open(keying.batch)
    with transaction.atomic():
        _lock_open_batch(keying.batch)
        _log(
            keying.batch.election,
            user,
            "majority_judgment.paper_keying_delete",
            keying.batch,
            before=snapshot(keying),
        )
        keying.delete()


# --- counting ------------------------------------------------------------------------


def do_count_batch(*, batch: PaperBatch, user) -> int:
    """Turn an agreed batch into anonymous paper ballots, counted in the tally; a serial counts once."""
    with transaction.atomic():
        batch = PaperBatch.objects.select_for_update().select_related("election").get(pk=batch.pk)
        election = batch.election
        status = batch_status(batch)
        reason = check_can_count(batch, status)
        if reason:
            raise PaperError(reason)
        numbers = list(status.by_serial)
        claim_serials(
            CountedSerial,
            {"election": election},
            batch,
            numbers,
            already_counted=_("These ballots have already been counted in another batch: %(serials)s."),
            just_counted=_("Some of these ballots have just been counted in another batch."),
            error=PaperError,
        )
        # Encrypted and stored in random order (see cast_counted_forms): in serial order,
        # the rows would pair each ballot with its serial.
        forms = [("paper", status.by_serial[serial][0].payload) for serial in numbers]
        try:
            with closing_errors(PaperError):
                ballotbox.cast_counted_forms(target=election, records=forms)
        except ballotbox.Frozen as error:
            raise PaperError(_("This vote is closed.")) from error
        # The grades now live only in anonymous ballots: nothing ties them to a serial any more.
        PaperKeying.objects.filter(pk__in=[keying.pk for keying in status.keyings]).delete()
        batch.counted_at = timezone.now()
        batch.counted_ballots = len(numbers)
        batch.save(update_fields=["counted_at", "counted_ballots"])
        _log(
            election,
            user,
            "majority_judgment.paper_batch_count",
            batch,
            after={
                "batch": batch.label,
                "ballots": len(numbers),
                "keyers": [person.pk for person in status.keyers],
            },
        )
    return len(numbers)
