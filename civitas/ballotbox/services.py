"""Casting, reshuffling, closing, verifying and publishing anonymous records."""

# SQL here is built only from quoted model identifiers, never from user input.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.ballotbox import crypto, keys
from civitas.ballotbox.models import CountedReceipt, Envelope
from civitas.core.streaming import short_reads
from civitas.sealing.canonical import RecordError
from civitas.sealing.published import INCLUSION, file_seal, iter_published_lines, make_header
from civitas.sealing.seal import redact as redact_text
from civitas.sealing.tallies import compute_tally

CHUNK = 2000
# Envelopes are padded to their vote's one size (25 KB for a consultation with two long
# texts): read fewer at a time, so that closing's memory stays flat whatever that size.
ENVELOPE_CHUNK = 200


class BallotBoxError(Exception):
    pass


class AlreadyParticipated(BallotBoxError):
    """The account has already answered or voted."""


class Frozen(BallotBoxError):
    """The target is closed: its records can no longer change."""


class RecordsInClear(BallotBoxError):
    """Records were written in clear beside the encrypted ones: not by casting, so not counted."""

    def __init__(self, count: int):
        super().__init__(f"{count} records were stored in clear, outside the ballot box")
        self.count = count


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


class OnlineRecordsMismatch(BallotBoxError):
    """More (or fewer) online records than accounts that took part: closing changes nothing."""

    def __init__(self, *, online: int, participants: int):
        super().__init__(f"{online} online records for {participants} participations")
        self.online = online
        self.participants = participants


def _share_lock() -> str:
    """Casts take a share lock on the target row so that closing (which locks it for
    update) waits for casts in flight, and casts never straddle the freeze; SQLite's
    IMMEDIATE transactions already serialize writers."""
    return " FOR SHARE" if connection.vendor == "postgresql" else ""


def _refuse(frozen_at, public_key: str, sealed_for: str) -> None:
    if frozen_at is not None:
        raise Frozen
    if public_key != sealed_for:
        # The admin changed who holds the key after this request read it: what was
        # sealed could never be opened at closing.
        raise keys.KeysNotReady(_("This vote's counting key has just changed: please send again."))


def _check_open(target, sealed_for: str) -> None:
    """Lock the target row (shared) and refuse a frozen vote or a changed key: one statement."""
    table = connection.ops.quote_name(type(target)._meta.db_table)
    pk = connection.ops.quote_name(type(target)._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT frozen_at, public_key FROM {table} WHERE {pk} = %s{_share_lock()}", [target.pk]
        )
        row = cursor.fetchone()
    if row is None:
        raise type(target).DoesNotExist
    frozen_at, public_key = row
    _refuse(frozen_at, public_key, sealed_for)


def _insert_while_open(target, participation: Model, sealed_for: str) -> None:
    """Insert the participation only while the target is open with the key the ballot was
    sealed for: the check and the share lock of :func:`_check_open` within the insert
    itself (``INSERT … SELECT … FROM target WHERE open``), so a voter's cast reads nothing
    before it writes. Inserting no row means the vote closed or its key changed: the
    target row then says which. A second participation breaks the unique constraint
    (IntegrityError), as with a plain insert.
    """
    model = type(participation)
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    values = [field.get_db_prep_save(field.pre_save(participation, True), connection) for field in fields]
    target_model = type(target)
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"SELECT {', '.join(['%s'] * len(fields))} FROM {quote(target_model._meta.db_table)} "
        f"WHERE {quote(target_model._meta.pk.column)} = %s AND frozen_at IS NULL AND public_key = %s"
        f"{_share_lock()}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, target.pk, sealed_for])
        inserted = cursor.rowcount
    if inserted != 1:
        _check_open(target, sealed_for)  # raises Frozen, KeysNotReady or DoesNotExist
        raise Frozen  # closed and reopened in between cannot happen: refuse rather than guess
    participation._state.adding = False


def _is_frozen(target) -> bool:
    return type(target).objects.filter(pk=target.pk, frozen_at__isnull=False).exists()


@dataclass(frozen=True)
class Cast:
    """What one cast leaves with the voter: the fingerprint of their encrypted record."""

    fingerprint: str


def _padded_size(target, bound: int | None = None) -> int | None:
    """The one size every record of this vote is padded to (read once per cast or batch)."""
    if bound is None:
        bound = target.payload_size_bound()
    return crypto.padded_size(target.ballot_ref, bound) if bound is not None else None


def _envelope(target, recipient, size: int | None, *, channel: str, payload: dict, receipt) -> Envelope:
    record = {"channel": channel, "receipt": receipt, "payload": payload}
    ciphertext = crypto.seal_record(recipient, target.ballot_ref, record, size=size)
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
    payload_bound: int | None = None,
) -> Cast:
    """Encrypt a record with the vote's key and store it with the participation, in one transaction.

    ``participation`` is None for paper and postal records, which belong to no account.
    Nothing in clear is stored: the day, the channel, the receipt hash and the payload
    are all inside the ciphertext. ``before_store`` runs in the transaction first (e.g. to
    delete the voter's draft) and returns whether it deleted anything. ``payload_bound`` is
    ``target.payload_size_bound()``, for a caller that already has it at hand (it reads the
    questionnaire). Raises
    AlreadyParticipated, Frozen or keys.KeysNotReady, storing nothing.
    """
    recipient = keys.sealing_recipient(target)
    envelope = _envelope(
        target,
        recipient,
        _padded_size(target, payload_bound),
        channel=channel,
        payload=payload,
        receipt=receipt,
    )
    deleted = _store(target, participation, [envelope], before_store, sealed_for=keys.key_id_of(recipient))
    if deleted:
        # What before_store deleted (a budget voter's draft: account, projects, time) still
        # sits in SQLite's write-ahead log; fold the log into the database (secure_delete
        # zeroes the freed space there) and empty it. Best effort: a reader still using
        # older pages holds the log until the next checkpoint.
        transaction.on_commit(fold_sqlite_log)
    return Cast(fingerprint=envelope.fingerprint)


def fold_sqlite_log() -> bool:
    """Fold SQLite's write-ahead log into the database file (secure_delete zeroes freed
    space there) and empty it. False when a reader still holds older pages: the log then
    keeps them until a later checkpoint. Always True on other databases."""
    if connection.vendor != "sqlite":
        return True
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        busy, _log_frames, _folded = cursor.fetchone()
    return busy == 0


def cast_counted_forms(*, target, records: list[tuple[str, dict]], before_store=None) -> int:
    """Encrypt and store paper or postal records ``[(channel, payload)]`` in random order.

    Forms are keyed in serial order; shuffled here, nothing in the stored rows follows it.
    """
    recipient = keys.sealing_recipient(target)
    shuffled = list(records)
    secrets.SystemRandom().shuffle(shuffled)
    size = _padded_size(target)  # once for the batch, not once per form
    envelopes = [
        _envelope(target, recipient, size, channel=channel, payload=payload, receipt=None)
        for channel, payload in shuffled
    ]
    _store(target, None, envelopes, before_store, sealed_for=keys.key_id_of(recipient))
    return len(envelopes)


def _store(target, participation, envelopes: list[Envelope], before_store, *, sealed_for: str) -> bool:
    """Store the envelopes (and the participation) if the vote is still open with the key
    they were sealed for, in one transaction; for a voter the check is part of the
    participation's insert (:func:`_insert_while_open`). Returns what ``before_store`` did."""
    deleted = False
    try:
        with transaction.atomic():
            if participation is None:
                _check_open(target, sealed_for)
            if before_store is not None:
                deleted = bool(before_store())
            if participation is not None:
                _insert_while_open(target, participation, sealed_for)
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
    return deleted


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
        # Envelopes and receipts name their vote by reference, not by a foreign key: they go with it here.
        Envelope.objects.filter(target=instance.ballot_ref).delete()
        CountedReceipt.objects.filter(target=instance.ballot_ref).delete()

    pre_delete.connect(mark, sender=model, weak=False, dispatch_uid=f"ballotbox-discard-{model._meta.label}")


def sealed_records(target, *, with_receipts: bool = True, redact: bool = False) -> Iterator[dict]:
    """The target's records as sealing dicts, in canonical (id) order, streamed.

    ``with_receipts=False`` publishes every receipt as null (inclusion mode: the hashes
    are listed apart by :func:`sealed_receipts`). ``redact`` publishes the texts the
    target hides as their redaction markers, which leaves the seal unchanged.
    """
    hidden = target.hidden_text_paths() if redact else {}
    rows = short_reads(
        target.anonymous_records(), "id", "day", "channel", "receipt_hash", "payload", key="id", chunk=CHUNK
    )
    for record_id, day, channel, receipt, payload in rows:
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
    """The receipt hashes of the target, ascending, streamed (inclusion mode).

    They are kept apart from the records (CountedReceipt) since closing writes them there;
    a vote closed before that keeps them on its records.
    """
    apart = CountedReceipt.objects.filter(target=target.ballot_ref)
    if apart.exists():
        yield from short_reads(apart, "receipt_hash", key="receipt_hash", flat=True, chunk=CHUNK)
        return
    rows = target.anonymous_records().filter(receipt_hash__isnull=False)
    yield from short_reads(rows, "receipt_hash", key="receipt_hash", flat=True, chunk=CHUNK)


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


def _open_envelopes(target, record_model: type[Model], box, *, day: str) -> int:
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
    prepare_id, prepare_payload = meta.pk.get_db_prep_save, meta.get_field("payload").get_db_prep_save
    same_day = meta.get_field("day").get_db_prep_save(datetime.date.fromisoformat(day), connection)
    same_target = target_fk.get_db_prep_save(target.pk, connection)
    problems: list[tuple[str, str]] = []
    refused = opened = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {scratch}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT {columns} FROM {table} WHERE 1 = 0")
        rows = []
        envelopes = target.envelopes().order_by().values_list("fingerprint", "ciphertext")
        for fingerprint, ciphertext in envelopes.iterator(chunk_size=ENVELOPE_CHUNK):
            try:
                record = crypto.open_record(box, target.ballot_ref, ciphertext, day=day)
                if crypto.fingerprint(ciphertext) != fingerprint:
                    # Swapped in under a voter's fingerprint (anyone can encrypt with the
                    # public key): what was cast is no longer there.
                    raise crypto.EnvelopeError("is not the record cast under this fingerprint")
            except crypto.EnvelopeError as error:
                refused += 1
                if len(problems) < MAX_PROBLEMS:
                    problems.append((fingerprint, str(error)))
                continue
            # The day (closing's) and the target are the same for every record: prepared once.
            rows.append(
                [
                    prepare_id(uuid.uuid4(), connection),
                    same_day,
                    record["channel"],
                    record["receipt"],
                    prepare_payload(record["payload"], connection),
                    same_target,
                ]
            )
            if len(rows) >= CHUNK:
                opened += _write_scratch(cursor, f"{scratch} ({columns})", rows)
                rows = []
        if rows:
            opened += _write_scratch(cursor, f"{scratch} ({columns})", rows)
        if refused:
            cursor.execute(f"DROP TABLE {scratch}")
            raise EnvelopesRefused(problems, refused)
        selected = columns
        if target.receipt_mode == INCLUSION:
            # The receipts go to a list of their own, in ascending order; the records keep none.
            receipt = q(meta.get_field("receipt_hash").column)
            receipts = q(CountedReceipt._meta.db_table)
            cursor.execute(
                f"INSERT INTO {receipts} ({q('target')}, {q('receipt_hash')}) "
                f"SELECT %s, {receipt} FROM {scratch} WHERE {receipt} IS NOT NULL ORDER BY {receipt}",
                [target.ballot_ref],
            )
            selected = ", ".join(
                "NULL" if field.name == "receipt_hash" else q(field.column) for field in fields
            )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {selected} FROM {scratch} ORDER BY {q(meta.pk.column)}"
        )
        cursor.execute(f"DROP TABLE {scratch}")
    return opened


def _plan_reads_on_opened_records(record_model: type[Model], opened: int) -> None:
    """Have PostgreSQL read the opened records back as ranges of the (target, id) index.

    The tally and the seal read them a chunk at a time, in id order, planned on the
    table's statistics. Those date from before closing wrote the records (nobody else sees
    them until it commits, autovacuum included): on a table that held few records, each
    chunk was read by bitmap and sorted, every remaining record again each time, and
    475,000 records took minutes. The planner is left only the index (for the rest of
    this transaction, SET LOCAL), which the (target, id) range of a chunk always suits.

    ANALYZE, which did this before, locked the records' table to the commit: closings run
    at the same time (a national consultation's questionnaires) then tallied and sealed
    one after the other.
    """
    if connection.vendor == "postgresql" and opened >= INDEX_READS_FROM:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute("SET LOCAL enable_seqscan = off")


# Records from which closing steers PostgreSQL's plans (see _plan_reads_on_opened_records):
# below, the chunks are few and their plan matters little.
INDEX_READS_FROM = 20_000


def _write_scratch(cursor, table_and_columns: str, rows: list[list]) -> int:
    """Write opened records into the scratch table: by COPY on PostgreSQL (quicker than one
    INSERT per record, which a national consultation counts in millions)."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table_and_columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        placeholders = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {table_and_columns} VALUES ({placeholders})", rows)
    return len(rows)


def receipt_counted(target, digest: str) -> bool:
    """Whether a closed vote counted the record with this receipt hash (any receipt mode)."""
    return (
        CountedReceipt.objects.filter(target=target.ballot_ref, receipt_hash=digest).exists()
        or target.anonymous_records().filter(receipt_hash=digest).exists()
    )


SEALED_FIELDS = ("sealed_definition", "sealed_header", "tally", "seal", "frozen_at")


def close_and_seal(
    target,
    *,
    record_model: type[Model],
    trustee_keys: list[str] | None = None,
):
    """Open the encrypted records, write them in random order, tally, seal and freeze.

    All in one transaction: a wrong key or a record that does not decrypt raises
    (keys.VoteKeyError, EnvelopesRefused) and changes nothing. In platform mode the
    vote's salt is erased with the freeze, so its key can never be derived again.
    The published file lists the fingerprint of every encrypted record as cast (the
    envelopes stay, unreadable for good once the key is gone), so anyone can count them
    against the participations. Returns the target.
    """
    # The caller's instance may predate the first cast, which prepared the key.
    target.refresh_from_db(fields=["key_mode", "public_key", "key_salt", "trustees"])
    if target.public_key or target.key_mode != "platform" or target.envelopes().exists():
        box = keys.opener(target, trustee_keys)
    else:
        box = None  # nobody ever cast: there is nothing to open
    with transaction.atomic():
        locked = type(target).objects.select_for_update().get(pk=target.pk)
        if locked.frozen_at is not None:
            raise Frozen
        in_clear = record_model.objects.filter(**{record_model.target_field: locked}).count()
        if in_clear:
            # Every record is cast encrypted; one written in clear came from outside the
            # ballot box (someone writing to the database) and must not be counted.
            raise RecordsInClear(in_clear)
        if box is not None:
            opened = _open_envelopes(locked, record_model, box, day=timezone.localdate().isoformat())
            _check_online_records_match_participations(locked, record_model)
            # The ciphertexts go: once opened they are never needed again (the file lists
            # their fingerprints), and kept they would pair each record with the account
            # beside which it was cast, for whoever later holds the key or a trustee's part.
            locked.envelopes().update(ciphertext=b"")
            transaction.on_commit(lambda: _scrub_storage(type(locked)))
            _plan_reads_on_opened_records(record_model, opened)
        # Frozen first, so that the header's closing day is the day of the freeze.
        locked.frozen_at = timezone.now()
        definition = locked.sealing_definition()
        tally = compute_tally(locked.sealing_kind, definition, sealed_records(locked))
        locked.sealed_definition = definition
        locked.sealed_header = sealing_header(locked, definition)
        locked.tally = tally
        locked.seal = compute_seal(locked, tally, envelopes=envelope_fingerprints(locked))
        locked.key_salt = ""
        locked.save(update_fields=[*SEALED_FIELDS, "key_salt"])
    target.refresh_from_db(fields=[*SEALED_FIELDS, "key_salt"])
    return target


def _check_online_records_match_participations(target, record_model: type[Model]) -> None:
    """Every online record was cast beside one "this account took part": an encrypted
    record slipped into the database by someone who can write to it (anyone can encrypt
    with the public key) has none, and must not be counted. Raises before anything is kept."""
    online = record_model.objects.filter(**{record_model.target_field: target}, channel="online").count()
    participants = target.participations.count()
    if online != participants:
        raise OnlineRecordsMismatch(online=online, participants=participants)


RETRY_FOLD_SECONDS = 10


def _scrub_storage(target_model) -> None:
    """After closing, have the database drop the old row versions (the erased salt, the
    ciphertexts), which it otherwise keeps on disk until their space is reused."""
    if connection.vendor == "sqlite":
        # secure_delete (settings) zeroes freed space; the write-ahead log still holds the
        # old pages until it is checkpointed and truncated. A reader can hold the log back
        # (streams read in short queries so that none does for long): then the queue tries
        # again until it is done.
        if not fold_sqlite_log():
            from civitas.ballotbox.tasks import fold_log_after_closing

            fold_log_after_closing.schedule(delay=RETRY_FOLD_SECONDS)
    elif connection.vendor == "postgresql":
        # PostgreSQL never zeroes a dead row: VACUUM only marks its space free. The target's
        # table is small, so it is rewritten whole (VACUUM FULL: new files, the old ones
        # deleted), and the erased salt, without which a platform key can never be derived
        # again, leaves the database's files. The envelopes' table, shared by every open
        # vote, is only vacuumed: rewriting it would stop casting everywhere. See README,
        # "what closing erases".
        table = target_model._meta.db_table
        if not rewrite_without_dead_rows(table):
            from civitas.ballotbox.tasks import rewrite_after_closing

            rewrite_after_closing.schedule(args=(table,), delay=RETRY_FOLD_SECONDS)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {connection.ops.quote_name(Envelope._meta.db_table)}")
        checkpoint()  # once, for both tables


def rewrite_without_dead_rows(table: str) -> bool:
    """Rewrite a PostgreSQL table with VACUUM FULL; False when some dead row versions had
    to be kept (VACUUM VERBOSE's detail starts with their number, in every language).

    A transaction older than the erasure, open anywhere on the database server (a long
    report, another application's database), makes PostgreSQL keep them: the queue then
    tries again (tasks.rewrite_after_closing). So it does when the table's lock cannot be
    had at once (see REWRITE_LOCK_WAIT).
    """
    try:
        return _vacuum_full_kept_dead_rows(table) == 0
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            return False
        raise


# VACUUM FULL needs the table to itself, and while it waits for that lock every new reader
# of the table queues behind it. Another vote closing at the same time keeps a row of the
# votes' table locked for minutes (its one transaction): waiting for it would stall every
# page of every consultation until it commits. The rewrite gives up after this wait instead,
# and the queue tries again.
REWRITE_LOCK_WAIT = "2s"
LOCK_NOT_AVAILABLE = "55P03"


def checkpoint() -> None:
    """Have PostgreSQL write out and drop the rewritten tables' old files now."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")


def _vacuum_full_kept_dead_rows(table: str) -> int:
    details: list[str] = []

    def keep_detail(diagnostic) -> None:
        details.append(diagnostic.message_detail or "")

    connection.ensure_connection()
    driver = connection.connection
    driver.add_notice_handler(keep_detail)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{REWRITE_LOCK_WAIT}'")
            try:
                cursor.execute(f"VACUUM (FULL, VERBOSE) {connection.ops.quote_name(table)}")
            finally:
                cursor.execute("RESET lock_timeout")
    finally:
        driver.remove_notice_handler(keep_detail)
    kept = [re.match(r"\s*(\d+)\b", detail) for detail in details if detail]
    return sum(int(match.group(1)) for match in kept if match)


def envelope_fingerprints(target) -> Iterator[str]:
    """The fingerprints of the target's encrypted records, ascending (a fresh stream each call)."""
    return short_reads(target.envelopes(), "fingerprint", key="fingerprint", flat=True, chunk=CHUNK)


def verify(target) -> list[str]:
    """What no longer matches the published seal (empty when nothing was tampered with)."""
    if target.frozen_at is None:
        return ["not closed yet"]
    problems = []
    definition = (target.sealed_header or {}).get("definition", target.sealed_definition or {})
    recomputed = compute_tally(target.sealing_kind, definition, sealed_records(target))
    if recomputed != target.tally:
        problems.append("the stored records no longer give the published tally")
    try:
        sealed = compute_seal(target, target.tally or {}, envelopes=envelope_fingerprints(target))
    except RecordError as error:
        problems.append(f"a stored record can no longer be published: {error}")
    else:
        if sealed != target.seal:
            problems.append("the stored records no longer give the published seal")
    return problems


def iter_published(target) -> Iterator[str]:
    """The downloadable file of a frozen target, line by line, hidden texts redacted,
    with the fingerprints of the encrypted records as cast."""
    if target.frozen_at is None:
        raise BallotBoxError("only a closed target is published")
    publication = _publication(target, envelopes=envelope_fingerprints(target), redact=True)
    return iter_published_lines(**publication, seal=target.seal)
