"""Casting, reshuffling, closing, verifying and publishing anonymous records."""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from civitas.sealing.published import iter_published_lines
from civitas.sealing.seal import Sealer
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


def sealed_records(target) -> Iterator[dict]:
    """The target's records as sealing dicts, in canonical (id) order, streamed."""
    rows = (
        target.anonymous_records()
        .order_by("id")
        .values_list("id", "day", "channel", "receipt_hash", "payload")
    )
    for record_id, day, channel, receipt, payload in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": str(record_id),
            "day": day.isoformat(),
            "channel": channel,
            "receipt": receipt,
            "payload": payload,
        }


def compute_seal(target, tally: dict) -> str:
    sealer = Sealer()
    for record in sealed_records(target):
        sealer.add(record)
    return sealer.finish(tally)


def close_and_seal(target, *, record_model: type[Model]):
    """Reshuffle, tally, seal and freeze, all in one transaction. Returns the target."""
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.frozen_at is not None:
            raise Frozen
        reshuffle(record_model, locked)
        definition = locked.sealing_definition()
        tally = compute_tally(locked.sealing_kind, definition, sealed_records(locked))
        locked.sealed_definition = definition
        locked.tally = tally
        locked.seal = compute_seal(locked, tally)
        locked.frozen_at = timezone.now()
        locked.save(update_fields=["sealed_definition", "tally", "seal", "frozen_at"])
    target.refresh_from_db(fields=["sealed_definition", "tally", "seal", "frozen_at"])
    return target


def verify(target) -> list[str]:
    """What no longer matches the published seal (empty when nothing was tampered with)."""
    if target.frozen_at is None:
        return ["not closed yet"]
    problems = []
    recomputed = compute_tally(target.sealing_kind, target.sealed_definition or {}, sealed_records(target))
    if recomputed != target.tally:
        problems.append("the stored records no longer give the published tally")
    if compute_seal(target, target.tally or {}) != target.seal:
        problems.append("the stored records no longer give the published seal")
    return problems


def iter_published(target) -> Iterator[str]:
    """The downloadable file of a frozen target, line by line."""
    if target.frozen_at is None:
        raise BallotBoxError("only a closed target is published")
    return iter_published_lines(
        kind=target.sealing_kind,
        definition=target.sealed_definition or {},
        records=sealed_records(target),
        tally=target.tally or {},
        about=target.sealing_about(),
        seal=target.seal,
    )
