"""Casting, reshuffling, closing, verifying and publishing anonymous records."""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from civitas.ballotbox import crypto, keys
from civitas.ballotbox.models import Envelope, today
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


class EnvelopesRefused(BallotBoxError):
    """Some encrypted records cannot be opened: closing changes nothing until they are dealt with.

    ``problems`` lists ``(fingerprint, what is wrong)``, at most :data:`MAX_PROBLEMS` of them;
    ``count`` says how many records were refused in all.
    """

    def __init__(self, problems: list[tuple[str, str]], count: int):
        super().__init__(f"{count} encrypted records cannot be counted")
        self.problems = problems
        self.count = count


MAX_PROBLEMS = 20


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


@dataclass(frozen=True)
class Cast:
    """What one cast leaves with the voter: the fingerprint of their encrypted record."""

    fingerprint: str


def _envelope(target, public_key: bytes, *, channel: str, payload: dict, receipt: str | None) -> Envelope:
    record = {"day": today().isoformat(), "channel": channel, "receipt": receipt, "payload": payload}
    ciphertext = crypto.seal_record(public_key, target.ballot_ref, record)
    return Envelope(
        target=target.ballot_ref, ciphertext=ciphertext, fingerprint=crypto.fingerprint(ciphertext)
    )


def cast(
    *,
    target,
    participation: Model | None,
    payload: dict,
    channel: str = "online",
    receipt: str | None = None,
    before_store: Callable[[], None] | None = None,
) -> Cast:
    """Encrypt a record with the vote's key and store it with the participation, in one transaction.

    ``participation`` is None for paper and postal records, which belong to no account.
    Nothing in clear is stored: the day, the channel, the receipt hash and the payload
    are all inside the ciphertext. ``before_store`` runs in the transaction first (e.g. to
    delete the voter's draft). Raises AlreadyParticipated, Frozen or keys.KeysNotReady,
    storing nothing.
    """
    envelope = _envelope(
        target, keys.ensure_public_key(target), channel=channel, payload=payload, receipt=receipt
    )
    _store(target, participation, [envelope], before_store)
    return Cast(fingerprint=envelope.fingerprint)


def cast_counted_forms(*, target, records: list[tuple[str, dict]], before_store=None) -> int:
    """Encrypt and store paper or postal records ``[(channel, payload)]`` in random order.

    Forms are keyed in serial order; shuffled here, nothing in the stored rows follows it.
    """
    public_key = keys.ensure_public_key(target)
    shuffled = list(records)
    secrets.SystemRandom().shuffle(shuffled)
    envelopes = [
        _envelope(target, public_key, channel=channel, payload=payload, receipt=None)
        for channel, payload in shuffled
    ]
    _store(target, None, envelopes, before_store)
    return len(envelopes)


def _store(target, participation, envelopes: list[Envelope], before_store) -> None:
    try:
        with transaction.atomic():
            _lock_target_shared(target)
            if _is_frozen(target):
                raise Frozen
            if before_store is not None:
                before_store()
            if participation is not None:
                participation.save(force_insert=True)
            Envelope.objects.bulk_create(envelopes)
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
    the freeze triggers require before they let a frozen target's records be deleted, and
    deletes the target's encrypted envelopes.
    """
    from django.db.models.signals import pre_delete

    def mark(sender, instance, **kwargs):
        if instance.frozen_at is not None and instance.discarded_at is None:
            sender.objects.filter(pk=instance.pk).update(discarded_at=timezone.now())
        # Envelopes name their vote by reference, not by a foreign key: they go with it here.
        Envelope.objects.filter(target=instance.ballot_ref).delete()

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


def _open_envelopes(target, record_model: type[Model], box) -> int:
    """Decrypt the target's envelopes into its records, written in random order.

    Records are decrypted in chunks into a temporary table (memory stays flat), then copied
    into the records table ordered by their fresh random ids: neither the order of casting
    nor the envelopes' order reaches the stored records. Raises EnvelopesRefused, naming
    every record that does not decrypt to a valid record of this vote, before writing any.
    """
    meta = record_model._meta
    q = connection.ops.quote_name
    fields = [meta.pk, *(meta.get_field(name) for name in ("day", "channel", "receipt_hash", "payload"))]
    target_fk = meta.get_field(record_model.target_field)
    fields.append(target_fk)
    columns = ", ".join(q(field.column) for field in fields)
    table, scratch = q(meta.db_table), q("civitas_opened")
    insert = f"INSERT INTO {scratch} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    problems: list[tuple[str, str]] = []
    refused = opened = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {columns} FROM {table} WHERE 1 = 0")
        rows = []
        envelopes = target.envelopes().order_by().values_list("fingerprint", "ciphertext")
        for fingerprint, ciphertext in envelopes.iterator(chunk_size=CHUNK):
            try:
                record = crypto.open_record(box, target.ballot_ref, ciphertext)
            except crypto.EnvelopeError as error:
                refused += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append((fingerprint, str(error)))
                continue
            values = (
                uuid.uuid4(),
                datetime.date.fromisoformat(record["day"]),
                record["channel"],
                record["receipt"],
                record["payload"],
                target.pk,
            )
            rows.append(
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, values, strict=True)
                ]
            )
            if len(rows) >= CHUNK:
                cursor.executemany(insert, rows)
                opened += len(rows)
                rows = []
        if rows:
            cursor.executemany(insert, rows)
            opened += len(rows)
        if refused:
            cursor.execute(f"DROP TABLE {scratch}")
            raise EnvelopesRefused(problems, refused)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {scratch} ORDER BY {q(meta.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {scratch}")
    return opened


def close_and_seal(target, *, record_model: type[Model], trustee_keys: list[str] | None = None):
    """Open the encrypted records, write them in random order, tally, seal and freeze.

    All in one transaction: a wrong key or a record that does not decrypt raises
    (keys.VoteKeyError, EnvelopesRefused) and changes nothing. In platform mode the
    vote's salt is erased with the freeze, so its key can never be derived again.
    Returns the target.
    """
    # The caller's instance may predate the first cast, which prepared the key.
    target.refresh_from_db(fields=["key_mode", "public_key", "key_salt", "trustees"])
    if target.public_key or target.key_mode != "platform" or target.envelopes().exists():
        box = crypto.opening_box(keys.opening_key(target, trustee_keys))
    else:
        box = None  # nobody ever cast: there is nothing to open
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.frozen_at is not None:
            raise Frozen
        if record_model.objects.filter(**{record_model.target_field: locked}).exists():
            # Records stored in clear before encrypted casting existed: out of arrival order first.
            reshuffle(record_model, locked)
        if box is not None:
            _open_envelopes(locked, record_model, box)
        definition = locked.sealing_definition()
        tally = compute_tally(locked.sealing_kind, definition, sealed_records(locked))
        locked.sealed_definition = definition
        locked.tally = tally
        locked.seal = compute_seal(locked, tally)
        locked.frozen_at = timezone.now()
        locked.key_salt = ""
        locked.save(update_fields=["sealed_definition", "tally", "seal", "frozen_at", "key_salt"])
    target.refresh_from_db(fields=["sealed_definition", "tally", "seal", "frozen_at", "key_salt"])
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
