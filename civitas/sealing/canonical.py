"""Canonical JSON for anonymous records and tallies: one byte string per value."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

# Channels through which an answer or a ballot arrives. Other kinds may add theirs;
# the record only requires a short lowercase word.
CHANNELS = ("online", "paper", "post")

RECORD_KEYS = frozenset({"id", "day", "channel", "receipt", "payload"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CHANNEL = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class RecordError(ValueError):
    """An anonymous record that does not have the canonical shape."""


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant spaces, non-ASCII kept as is; floats refused.

    Floats are refused because their text form differs between languages and
    versions; a seal must be recomputable byte for byte anywhere.
    """
    _refuse_floats(value)
    return dumps_checked(value)


def dumps_checked(value: Any) -> str:
    """canonical_json of a value already known to hold no float (skips that walk)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _refuse_floats(value: Any) -> None:
    if isinstance(value, float):
        raise RecordError(f"floats are not allowed in sealed data: {value!r}")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise RecordError(f"keys must be strings: {key!r}")
            _refuse_floats(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse_floats(item)


def check_record(record: dict) -> None:
    if not isinstance(record, dict):
        raise RecordError("a record must be a JSON object")
    keys = set(record)
    if keys != RECORD_KEYS:
        missing = sorted(RECORD_KEYS - keys)
        extra = sorted(keys - RECORD_KEYS)
        raise RecordError(f"record keys differ: missing {missing}, unexpected {extra}")
    record_id = record["id"]
    try:
        if not isinstance(record_id, str) or str(uuid.UUID(record_id)) != record_id:
            raise ValueError
    except ValueError:
        raise RecordError(f"record id must be a lowercase UUID with hyphens: {record_id!r}") from None
    if not isinstance(record["day"], str) or not _DAY.match(record["day"]):
        raise RecordError(f"record {record_id}: day must be YYYY-MM-DD, got {record['day']!r}")
    if not isinstance(record["channel"], str) or not _CHANNEL.match(record["channel"]):
        raise RecordError(f"record {record_id}: bad channel {record['channel']!r}")
    receipt = record["receipt"]
    if receipt is not None and (not isinstance(receipt, str) or not _HEX64.match(receipt)):
        raise RecordError(f"record {record_id}: receipt must be a sha256 hex digest or null")
    if not isinstance(record["payload"], dict):
        raise RecordError(f"record {record_id}: payload must be a JSON object")


def canonical_record(record: dict) -> str:
    """The canonical line of one record (checked first)."""
    check_record(record)
    return canonical_json(record)


def make_record(
    *, record_id: str | uuid.UUID, day: str, channel: str, payload: dict, receipt: str | None = None
) -> dict:
    """Build a record dict from its parts, normalizing the id to its canonical text."""
    record = {
        "id": str(uuid.UUID(str(record_id))),
        "day": day,
        "channel": channel,
        "receipt": receipt,
        "payload": payload,
    }
    check_record(record)
    return record
