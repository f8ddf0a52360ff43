"""The seal: SHA-256 over the canonical sorted records and the canonical tally.

Byte layout hashed (UTF-8), which anyone can reimplement::

    "civitas-seal-v1\\n"
    for each record in ascending id order:  canonical_record(record) + "\\n"
    "tally:" + canonical_json(tally) + "\\n"

Two record sets differing by one byte, one record more or less, or one tally number
give different seals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from civitas.sealing.canonical import RecordError, canonical_json, canonical_record

PREFIX = b"civitas-seal-v1\n"


class Sealer:
    """Incremental seal: feed records in ascending id order, then finish with the tally."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(PREFIX)
        self._last_id: str | None = None
        self.count = 0

    def add(self, record: dict) -> str:
        line = canonical_record(record)
        if self._last_id is not None and record["id"] <= self._last_id:
            if record["id"] == self._last_id:
                raise RecordError(f"record id {record['id']} appears twice")
            raise RecordError(f"records are not in ascending id order at {record['id']}")
        self._last_id = record["id"]
        self._hash.update(line.encode())
        self._hash.update(b"\n")
        self.count += 1
        return line

    def finish(self, tally: dict) -> str:
        self._hash.update(b"tally:")
        self._hash.update(canonical_json(tally).encode())
        self._hash.update(b"\n")
        return self._hash.hexdigest()


def sort_records(records: Iterable[dict]) -> list[dict]:
    return sorted(records, key=lambda record: str(record.get("id", "")))


def seal(records: Iterable[dict], tally: dict) -> str:
    """The seal of records given in any order (sorted in memory here)."""
    sealer = Sealer()
    for record in sort_records(records):
        sealer.add(record)
    return sealer.finish(tally)
