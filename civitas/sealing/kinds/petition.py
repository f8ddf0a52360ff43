"""Tally of a petition's signature list: how many people signed, online and on paper.

Definition: ``{}`` (the header's ``about`` names the petition). A record is one
signature: its ``id`` is the signer's per-petition pseudonym (so the reader refuses a
person counted twice), its ``day`` the day of signing, its ``receipt`` the hash of the
signer's receipt code (null for paper), its payload empty::

    {"channel": "online", "day": "2026-07-10", "id": "<pseudonym>", "payload": {},
     "receipt": "<sha256 hex>"}
"""

from __future__ import annotations

from collections.abc import Iterable

from civitas.sealing.canonical import RecordError
from civitas.sealing.tallies import tally

CHANNELS = ("online", "paper")


@tally("petition")
def tally_petition(definition: dict, records: Iterable[dict]) -> dict:
    by_channel = dict.fromkeys(CHANNELS, 0)
    for record in records:
        if record["channel"] not in by_channel:
            raise RecordError(f"record {record['id']}: a signature comes online or on paper")
        if record["payload"]:
            raise RecordError(f"record {record['id']}: a signature carries nothing but its pseudonym")
        if record["channel"] == "paper" and record["receipt"] is not None:
            raise RecordError(f"record {record['id']}: a paper signature has no receipt")
        by_channel[record["channel"]] += 1
    return {"signatures": sum(by_channel.values()), **by_channel}
