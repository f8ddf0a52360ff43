"""Paper signature sheets keyed twice (double entry), counted apart from online ones.

Two different people key every line of a batch; a line counts only when at least two
people keyed it identically (:mod:`civitas.core.double_entry`). Counting turns each line
into a paper signature whose pseudonym hashes the identity written on the sheet, so one
person on two sheets counts once; then the keyings, the only place names were written
into the platform, are deleted.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action
from civitas.authorizations.persons import person_digest, person_key
from civitas.components.petitions.models import PaperBatch, PaperKeying, Petition, Signature, Status, today
from civitas.components.petitions.pseudonyms import (
    paper_pseudonym,
    person_pseudonym,
    pseudonym_key,
)
from civitas.components.petitions.services import PetitionError, _bump, reach_milestones
from civitas.core.double_entry import FormStatus, form_status

_LINE = re.compile(r"^\s*(\d{1,5})\s*[-/.:]\s*(\d{1,3})\s*$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def _log(batch: PaperBatch, user, action: str, after: dict) -> None:
    space = batch.petition.component.space
    log_action(
        organization=space.organization, user=user, action=action, target=batch, space=space, after=after
    )


def _check_open(batch: PaperBatch) -> None:
    # Read from the database: the page a keyer holds may predate the counting.
    if (
        batch.counted_at is not None
        or PaperBatch.objects.filter(pk=batch.pk, counted_at__isnull=False).exists()
    ):
        raise PetitionError(_("This batch has been counted: it cannot change any more."))
    if batch.petition.status != Status.PUBLISHED:
        raise PetitionError(_("Only a published petition collects paper signatures."))


def do_create_batch(*, petition: Petition, user, label: str) -> PaperBatch:
    if petition.status != Status.PUBLISHED:
        raise PetitionError(_("Only a published petition collects paper signatures."))
    with transaction.atomic():
        batch = PaperBatch.objects.create(petition=petition, label=label, created_by=user)
        _log(batch, user, "petition.paper_batch_create", {"label": label})
    return batch


def clean_line(data: dict) -> tuple[str, dict]:
    """(canonical "sheet-line", payload) from a keyed line; PetitionError says what is wrong."""
    match = _LINE.match(data.get("line") or "")
    if not match:
        raise PetitionError(_("Write the sheet and line numbers as 12-3."))
    line = f"{int(match.group(1))}-{int(match.group(2))}"
    family, given = (data.get("family_name") or "").strip(), (data.get("given_names") or "").strip()
    if not family or not given:
        raise PetitionError(_("Key the family name and the given names as written on the sheet."))
    try:
        born = datetime.date.fromisoformat((data.get("birth_date") or "").strip())
    except ValueError:
        raise PetitionError(_("Key the birth date as a date.")) from None
    if not datetime.date(1900, 1, 1) <= born <= today():
        raise PetitionError(_("This birth date is not possible."))
    place = (data.get("birth_place") or "").strip().upper()
    if place and not _INSEE.match(place):
        raise PetitionError(_("The birth place is the commune's INSEE code (5 characters), or empty."))
    payload = {
        "family_name": " ".join(family.split()),
        "given_names": " ".join(given.split()),
        "birth_date": born.isoformat(),
        "birth_place": place,
    }
    return line, payload


def do_key_line(*, batch: PaperBatch, user, data: dict) -> PaperKeying:
    _check_open(batch)
    line, payload = clean_line(data)
    try:
        with transaction.atomic():
            return PaperKeying.objects.create(batch=batch, keyed_by=user, line=line, payload=payload)
    except IntegrityError:
        raise PetitionError(
            _("You have already keyed line %(line)s of this batch.") % {"line": line}
        ) from None


def do_delete_keying(*, keying: PaperKeying, user) -> None:
    _check_open(keying.batch)
    if keying.keyed_by_id != user.pk:
        raise PetitionError(_("Only the person who keyed a line can delete it."))
    keying.delete()


@dataclass
class BatchStatus:
    lines: dict[str, list[PaperKeying]]
    keyers: int
    waiting: list[tuple[str, str]]  # (line, why it does not count yet)


def batch_status(batch: PaperBatch) -> BatchStatus:
    keyings = list(batch.keyings.all())
    lines: dict[str, list[PaperKeying]] = {}
    for keying in keyings:
        lines.setdefault(keying.line, []).append(keying)
    waiting = []
    for line, group in sorted(lines.items()):
        status = form_status(group, keyer=lambda k: k.keyed_by_id, payload=lambda k: k.payload)
        if status is FormStatus.ONE_PERSON:
            waiting.append((line, _("keyed by one person only")))
        elif status is FormStatus.DIFFERENT:
            waiting.append((line, _("the two keyings differ")))
    return BatchStatus(lines=lines, keyers=len({k.keyed_by_id for k in keyings}), waiting=waiting)


def check_can_count(batch: PaperBatch) -> str | None:
    if batch.counted_at is not None:
        return _("This batch has already been counted.")
    status = batch_status(batch)
    if not status.lines:
        return _("No line has been keyed in this batch.")
    if status.keyers < 2:
        return _("Double entry: two different people must key this batch.")
    if status.waiting:
        return _("Double entry: every line must be keyed identically by two people first.")
    return None


def do_count_batch(*, batch: PaperBatch, user) -> tuple[int, int]:
    """Count the agreed lines as paper signatures; returns (counted, already there)."""
    key = pseudonym_key(settings.CIVITAS_BALLOT_KEY)
    digest_key = person_key(settings.CIVITAS_BALLOT_KEY)
    with transaction.atomic():
        batch = (
            PaperBatch.objects.select_for_update()
            .select_related("petition__component__space")
            .get(pk=batch.pk)
        )
        _check_open(batch)
        reason = check_can_count(batch)
        if reason:
            raise PetitionError(reason)
        petition = batch.petition
        counted = duplicates = 0
        for group in batch_status(batch).lines.values():
            payload = group[0].payload
            pseudonym = paper_pseudonym(key, str(petition.ref), **payload)
            # The same person signing online (before or after) is refused by this one.
            person = person_pseudonym(key, str(petition.ref), person_digest(digest_key, **payload))
            try:
                with transaction.atomic():
                    Signature.objects.create(
                        petition=petition,
                        pseudonym=pseudonym,
                        person=person,
                        day=today(),
                        channel=Signature.Channel.PAPER,
                    )
                # Not in the public figures: nobody asked the signer on the sheet.
                counted += 1
            except IntegrityError:
                duplicates += 1
        if counted:
            _bump(petition.pk, "paper", counted)
        batch.keyings.all().delete()
        batch.counted_at, batch.counted_signatures, batch.duplicates = timezone.now(), counted, duplicates
        batch.save(update_fields=["counted_at", "counted_signatures", "duplicates"])
        _log(batch, user, "petition.paper_batch_count", {"counted": counted, "duplicates": duplicates})
    reach_milestones(petition)
    return counted, duplicates
