"""Bulk-storing encrypted records exactly as casting stores them, for benchmarks.

Casting (``civitas.ballotbox.services.cast``) seals each record with the vote's public key
(``crypto.seal_record``, padded to the vote's one size) and stores, in one transaction, the
envelope (ciphertext and fingerprint) beside the participation row that says which
account took part. Benchmarks that need hundreds of thousands of them do the same
sealing and store the same rows in batches, without the per-answer checks and requests:

``seal_batch`` is framework-free (it runs in worker processes), ``store_batch`` writes one
batch with PostgreSQL's COPY (``bulk_create`` elsewhere).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from civitas.ballotbox import crypto
from civitas.sealing.receipts import new_receipt_code, receipt_hash

Sealed = tuple[str, bytes]  # (fingerprint, ciphertext)


def seal_record(
    recipient: bytes, target_ref: str, size: int | None, *, channel: str, payload: dict
) -> Sealed:
    """One record sealed as ``ballotbox.services.cast`` seals it, with a fresh receipt."""
    record = {"channel": channel, "receipt": receipt_hash(new_receipt_code()), "payload": payload}
    ciphertext = crypto.seal_record(recipient, target_ref, record, size=size)
    return crypto.fingerprint(ciphertext), ciphertext


def seal_batch(recipient: bytes, target_ref: str, size: int | None, channel: str, payloads: Iterable[dict]):
    return [seal_record(recipient, target_ref, size, channel=channel, payload=p) for p in payloads]


def padded_size(target) -> int | None:
    """The one size the target's records are padded to, as casting computes it."""
    bound = target.payload_size_bound()
    return crypto.padded_size(target.ballot_ref, bound) if bound is not None else None


def store_batch(target, sealed: list[Sealed], participants: list[int] | None = None) -> None:
    """Store sealed records of ``target`` and, for online records, their participations.

    ``participants`` are account ids (as many as records) or None for paper and postal
    records, which belong to no account. One transaction per batch, as casting's.
    """
    from django.db import connection, transaction

    from civitas.ballotbox.models import Envelope

    participation_model = target.participations.model if participants is not None else None
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _copy(
                Envelope,
                ("id", "target", "ciphertext", "fingerprint"),
                [(uuid.uuid4(), target.ballot_ref, ciphertext, fp) for fp, ciphertext in sealed],
            )
            if participation_model is not None:
                field = participation_model.target_field
                _copy(
                    participation_model,
                    ("id", "user", field),
                    [(uuid.uuid4(), user_id, target.pk) for user_id in participants],
                )
            return
        Envelope.objects.bulk_create(
            [Envelope(target=target.ballot_ref, ciphertext=c, fingerprint=fp) for fp, c in sealed]
        )
        if participation_model is not None:
            field = participation_model.target_field
            participation_model.objects.bulk_create(
                [participation_model(user_id=user_id, **{field: target}) for user_id in participants]
            )


def _copy(model, names: tuple[str, ...], rows: list[tuple]) -> None:
    from national.bulk import copy_rows

    copy_rows(model, list(names), rows)
