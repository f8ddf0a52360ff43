"""Casting, reshuffling, closing, verifying and publishing anonymous records."""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from civitas.sealing.canonical import RecordError
from civitas.sealing.published import INCLUSION, file_seal, iter_published_lines, make_header
from civitas.sealing.seal import redact as redact_text
from civitas.sealing.tallies import compute_tally

CHUNK = 2000


class BallotBoxError(Exception):
    pass


class AlreadyParticipated(BallotBoxError):
    """The account has already answered or voted."""


class Frozen(BallotBoxError):
    """The target is closed: its records can no longer change."""


def _lock_target_shared(target) -> None:
    """Take a share lock on the target row so that closing waits for casts in flight.

    Closing locks the row FOR UPDATE; casts share it, so they run side by side but
    never straddle the freeze. SQLite's IMMEDIATE transactions already serialize writers.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(type(target)._meta.db_table)
        pk = connection.ops.quote_name(type(target)._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE {pk} = %s FOR SHARE", [target.pk])


def _is_frozen(target) -> bool:
    return type(target).objects.filter(pk=target.pk, frozen_at__isnull=False).exists()


def cast(
    *,
    target,
    participation: Model | None,
    record: Model,
    on_stored: Callable[[], None] | None = None,
) -> None:
    """Store the participation (if any) and the anonymous record in one transaction.

    ``participation`` is None for paper and postal records, which belong to no
    account. ``on_stored`` runs in the same transaction once both are stored (e.g. to
    keep running counts), so the record and what it adds stand or fall together.
    Raises AlreadyParticipated or Frozen, storing nothing.
    """
    try:
        with transaction.atomic():
            _lock_target_shared(target)
            if _is_frozen(target):
                raise Frozen
            if participation is not None:
                participation.save(force_insert=True)
            record.save(force_insert=True)
            if on_stored is not None:
                on_stored()
    except IntegrityError as error:
        if _is_frozen(target):
            raise Frozen from error
        if (
            participation is not None
            and type(participation)
            .objects.filter(user_id=participation.user_id, **{participation.target_field: target})
            .exists()
        ):
            raise AlreadyParticipated from error
        raise


def reshuffle(record_model: type[Model], target) -> int:
    """Rewrite a target's records in id order; returns how many were rewritten.

    Rows inserted one by one sit in arrival order: SQLite's hidden rowid, PostgreSQL's
    physical position and inserting transaction id (xmin, shared with the participation
    row) would let someone with the raw database pair answers with accounts. After the
    rewrite every row carries this transaction's id and sits in random (id) order.
    Must run before the freeze.
    """
    meta = record_model._meta
    q = connection.ops.quote_name
    table = q(meta.db_table)
    fk = q(meta.get_field(record_model.target_field).column)
    columns = ", ".join(q(field.column) for field in meta.concrete_fields)
    scratch = q("civitas_reshuffle")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {scratch} AS SELECT {columns} FROM {table} WHERE {fk} = %s",
            [target.pk],
        )
        # Only the copied rows are deleted: an answer committed meanwhile stays as it is.
        cursor.execute(
            f"DELETE FROM {table} WHERE {q(meta.pk.column)} IN (SELECT {q(meta.pk.column)} FROM {scratch})"
        )
        count = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} ORDER BY {q(meta.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {scratch}")
    return count


def discard_before_delete(model: type[Model]) -> None:
    """Let deleting a whole target (its component, space or organization) take its records.

    Connects a pre_delete receiver that marks the target discarded in the database, which
    the freeze triggers require before they let a frozen target's records be deleted.
    """
    from django.db.models.signals import pre_delete

    def mark(sender, instance, **kwargs):
        if instance.frozen_at is not None and instance.discarded_at is None:
            sender.objects.filter(pk=instance.pk).update(discarded_at=timezone.now())

    pre_delete.connect(mark, sender=model, weak=False, dispatch_uid=f"ballotbox-discard-{model._meta.label}")


def sealed_records(target, *, with_receipts: bool = True, redact: bool = False) -> Iterator[dict]:
    """The target's records as sealing dicts, in canonical (id) order, streamed.

    ``with_receipts=False`` publishes every receipt as null (inclusion mode: the hashes
    are listed apart by :func:`sealed_receipts`). ``redact`` publishes the texts the
    target hides as their redaction markers, which leaves the seal unchanged.
    """
    hidden = target.hidden_text_paths() if redact else {}
    rows = (
        target.anonymous_records()
        .order_by("id")
        .values_list("id", "day", "channel", "receipt_hash", "payload")
    )
    for record_id, day, channel, receipt, payload in rows.iterator(chunk_size=CHUNK):
        record_id = str(record_id)
        for path in hidden.get(record_id, ()):
            payload = redact_text(payload, path)
        yield {
            "id": record_id,
            "day": day.isoformat(),
            "channel": channel,
            "receipt": receipt if with_receipts else None,
            "payload": payload,
        }


def sealed_receipts(target) -> Iterator[str]:
    """The receipt hashes of the target's records, ascending, streamed (inclusion mode)."""
    rows = (
        target.anonymous_records()
        .filter(receipt_hash__isnull=False)
        .order_by("receipt_hash")
        .values_list("receipt_hash", flat=True)
    )
    yield from rows.iterator(chunk_size=CHUNK)


def sealing_header(target, definition: dict) -> dict:
    """The header the published file of ``target`` gets at closing (stored, then sealed)."""
    return make_header(
        kind=target.sealing_kind,
        definition=definition,
        about=target.sealing_about(),
        receipt_mode=target.receipt_mode,
        text_paths=target.sealing_text_paths(definition),
    )


def _publication(target, *, envelopes: Iterable[str], redact: bool) -> dict:
    """The arguments of :func:`iter_published_lines` for a closed target."""
    header = target.sealed_header
    if header is None:
        # Sealed before format version 2: its seal covers the records and the tally only.
        return {
            "version": 1,
            "kind": target.sealing_kind,
            "definition": target.sealed_definition or {},
            "about": target.sealing_about(),
            "records": sealed_records(target),
            "tally": target.tally or {},
        }
    inclusion = header["receipt_mode"] == INCLUSION
    return {
        "kind": header["kind"],
        "definition": header["definition"],
        "about": header["about"],
        "receipt_mode": header["receipt_mode"],
        "text_paths": header["text_paths"],
        "records": sealed_records(target, with_receipts=not inclusion, redact=redact),
        "receipts": sealed_receipts(target) if inclusion else (),
        "envelopes": envelopes,
        "tally": target.tally or {},
    }


def compute_seal(target, tally: dict, *, envelopes: Iterable[str] = ()) -> str:
    """The seal of the target's file over its stored records (and the given tally)."""
    return file_seal(**{**_publication(target, envelopes=envelopes, redact=False), "tally": tally})


def close_and_seal(target, *, record_model: type[Model], envelopes: Iterable[str] = ()):
    """Reshuffle, tally, seal and freeze, all in one transaction. Returns the target.

    ``envelopes``: fingerprints of the encrypted ballots as cast (sorted, unique); pass
    the same to :func:`iter_published` and :func:`verify`.
    """
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.frozen_at is not None:
            raise Frozen
        reshuffle(record_model, locked)
        # Frozen first, so that the header's closing day is the day of the freeze.
        locked.frozen_at = timezone.now()
        definition = locked.sealing_definition()
        tally = compute_tally(locked.sealing_kind, definition, sealed_records(locked))
        locked.sealed_definition = definition
        locked.sealed_header = sealing_header(locked, definition)
        locked.tally = tally
        locked.seal = compute_seal(locked, tally, envelopes=envelopes)
        locked.save(update_fields=["sealed_definition", "sealed_header", "tally", "seal", "frozen_at"])
    target.refresh_from_db(fields=["sealed_definition", "sealed_header", "tally", "seal", "frozen_at"])
    return target


def verify(target, *, envelopes: Iterable[str] = ()) -> list[str]:
    """What no longer matches the published seal (empty when nothing was tampered with)."""
    if target.frozen_at is None:
        return ["not closed yet"]
    problems = []
    definition = (target.sealed_header or {}).get("definition", target.sealed_definition or {})
    recomputed = compute_tally(target.sealing_kind, definition, sealed_records(target))
    if recomputed != target.tally:
        problems.append("the stored records no longer give the published tally")
    try:
        sealed = compute_seal(target, target.tally or {}, envelopes=envelopes)
    except RecordError as error:
        problems.append(f"a stored record can no longer be published: {error}")
    else:
        if sealed != target.seal:
            problems.append("the stored records no longer give the published seal")
    return problems


def iter_published(target, *, envelopes: Iterable[str] = ()) -> Iterator[str]:
    """The downloadable file of a frozen target, line by line, hidden texts redacted.

    ``envelopes``: the fingerprints passed to :func:`close_and_seal`, ascending.
    """
    if target.frozen_at is None:
        raise BallotBoxError("only a closed target is published")
    return iter_published_lines(**_publication(target, envelopes=envelopes, redact=True), seal=target.seal)
