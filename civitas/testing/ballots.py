"""Tests play the key holder: open the encrypted records of open votes, as closing would."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from civitas.ballotbox import crypto, keys
from civitas.ballotbox.models import Envelope


@dataclass
class OpenedRecord:
    payload: dict
    channel: str
    day: datetime.date
    receipt_hash: str | None
    fingerprint: str


def _target(ref: str):
    label, pk = ref.rsplit(":", 1)
    return apps.get_model(label).objects.get(pk=int(pk))


def opened_records(target=None, *, trustee_keys: list[str] | None = None, **filters) -> list[OpenedRecord]:
    """The records inside the envelopes of ``target`` (of every vote when None).

    ``filters`` select on the opened records' attributes, e.g. ``channel="paper"``.
    """
    refs = (
        [target.ballot_ref]
        if target is not None
        else sorted(set(Envelope.objects.values_list("target", flat=True)))
    )
    records = []
    for ref in refs:
        vote = _target(ref)  # afresh: the first cast prepared the key after the caller loaded it
        box = crypto.opening_box(keys.opening_key(vote, trustee_keys))
        for fingerprint, ciphertext in Envelope.objects.filter(target=ref).values_list(
            "fingerprint", "ciphertext"
        ):
            # Dated as closing would date it today.
            record = crypto.open_record(box, ref, ciphertext, day=timezone.localdate().isoformat())
            records.append(
                OpenedRecord(
                    payload=record["payload"],
                    channel=record["channel"],
                    day=datetime.date.fromisoformat(record["day"]),
                    receipt_hash=record["receipt"],
                    fingerprint=fingerprint,
                )
            )
    return [r for r in records if all(getattr(r, name) == value for name, value in filters.items())]


def opened_record(target=None) -> OpenedRecord:
    """The one record cast (fails when there are none or several)."""
    records = opened_records(target)
    assert len(records) == 1, f"expected one record, found {len(records)}"
    return records[0]
