"""The seal: one SHA-256 over everything a published file claims.

Version 2 (every file written since) — the seal covers the whole file
--------------------------------------------------------------------------

The seal is the SHA-256 (lowercase hex) of these bytes, all UTF-8, each piece ending
with one ``"\\n"``; ``canonical_json`` is JSON with sorted keys, no spaces and non-ASCII
characters kept as they are (:func:`civitas.sealing.canonical.canonical_json`)::

    "civitas-seal-v2\\n"
    "header:"   + canonical_json(header) + "\\n"           the whole first line of the file
    "record:"   + canonical_json(sealed_form(record)) + "\\n"   each record, ascending id
    "receipt:"  + <64 hex> + "\\n"                          each listed receipt, ascending
    "envelope:" + <64 hex> + "\\n"                          each envelope, ascending
    "footer:"   + canonical_json(footer without "seal") + "\\n"   count, receipts,
                                                             envelopes and the tally

``sealed_form(record, text_paths)`` is the record with each free text of its payload
replaced by its redaction marker::

    {"redacted": "sha256:" + sha256("civitas-text-v1\n" + text).hexdigest()}

The header's ``text_paths`` (a list of key paths such as ``[["q3"], ["q1", "other"]]``)
says where free texts sit in a payload: a string found at one of these paths is a free
text (a marker found there is kept as it is); nothing else is touched. So the seal
depends on each free text only through its hash, and a text published as its marker
(an abusive answer an administrator hid) leaves the seal unchanged; every other change
of a record, of the header (kind, definition, labels, ``about``, receipt mode, text
paths), of a listed receipt or envelope, of a count or of the tally changes it. A marker
proves which text stood there to anyone who guesses the exact text: it hides content,
it cannot keep a guessable secret.

No piece contains a raw newline (JSON escapes it in strings) and each starts with its
kind, so the bytes hashed decode back to one sequence of pieces only.

Version 1 (files sealed before version 2; still recounted)
-----------------------------------------------------------

Only the records and the tally::

    "civitas-seal-v1\\n"
    canonical_record(record) + "\\n"   for each record, ascending id
    "tally:" + canonical_json(tally) + "\\n"

The header (labels, ``about``) is not covered: the recount says so.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from civitas.sealing.canonical import RecordError, canonical_json, canonical_record, dumps_checked

PREFIX_V1 = b"civitas-seal-v1\n"
PREFIX_V2 = b"civitas-seal-v2\n"
TEXT_PREFIX = b"civitas-text-v1\n"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MARKER = re.compile(r"^sha256:[0-9a-f]{64}$")
SEAL_GROUP = 4


def redaction_marker(text: str) -> dict:
    """What stands in the published file for a hidden text; the seal only sees this."""
    return {"redacted": "sha256:" + hashlib.sha256(TEXT_PREFIX + text.encode()).hexdigest()}


def is_redaction_marker(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(value.get("redacted"), str)
        and _MARKER.match(value["redacted"]) is not None
    )


def check_text_paths(paths: Any) -> list[tuple[str, ...]]:
    """The header's ``text_paths`` as tuples; RecordError when it is not a list of key paths."""
    if not isinstance(paths, list) or not all(
        isinstance(path, list) and path and all(isinstance(key, str) for key in path) for path in paths
    ):
        raise RecordError("text_paths must be a list of non-empty lists of keys")
    return [tuple(path) for path in paths]


def _trie(text_paths: list[tuple[str, ...]]) -> dict:
    """``[("q3",), ("q1", "other")]`` -> ``{"q3": True, "q1": {"other": True}}``: one walk per payload."""
    trie: dict = {}
    for path in text_paths:
        node = trie
        for key in path[:-1]:
            child = node.get(key)
            node = node.setdefault(key, {}) if not isinstance(child, dict) else child
        node.setdefault(path[-1], True)
    return trie


def _seal_texts(payload: Any, trie: dict) -> tuple[Any, int]:
    """(payload with the texts under ``trie`` as markers, how many were markers already).

    Returns ``payload`` itself when nothing changes, so that the caller can reuse its line.
    """
    if not isinstance(payload, dict):
        return payload, 0
    changed: dict | None = None
    redacted = 0
    for key, below in trie.items():
        if key not in payload:
            continue
        value = payload[key]
        if below is True:
            if type(value) is str:
                new = redaction_marker(value)
            else:
                redacted += is_redaction_marker(value)
                continue
        else:
            new, inner = _seal_texts(value, below)
            redacted += inner
            if new is value:
                continue
        if changed is None:
            changed = dict(payload)
        changed[key] = new
    return (payload if changed is None else changed), redacted


def sealed_form(payload: dict, text_paths: list[tuple[str, ...]]) -> dict:
    """``payload`` with the free text at each of ``text_paths`` replaced by its marker."""
    return _seal_texts(payload, _trie(text_paths))[0]


def redact(payload: dict, path: tuple[str, ...] | list[str]) -> dict:
    """``payload`` with the free text at ``path`` published as its marker (same seal)."""
    return sealed_form(payload, [tuple(path)])


def count_redacted(payload: dict, text_paths: list[tuple[str, ...]]) -> int:
    """How many of the free texts of a payload are published as markers."""
    return _seal_texts(payload, _trie(text_paths))[1]


def check_fingerprint(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _HEX64.match(value):
        raise RecordError(f"{what} must be a sha256 hex digest (64 lowercase hex characters): {value!r}")
    return value


def normalize_seal(text: str) -> str:
    """A seal as someone typed or copied it (spaces, dashes, groups, any case) -> 64 hex.

    Raises ValueError when it cannot be a seal.
    """
    digits = re.sub(r"[\s\-_.:]+", "", text or "").lower()
    if not _HEX64.match(digits):
        raise ValueError("a seal is 64 hexadecimal characters")
    return digits


def group_seal(seal: str, size: int = SEAL_GROUP) -> str:
    """``"3f2a9c01…"`` -> ``"3f2a 9c01 …"``: easier to compare by eye or read aloud."""
    return " ".join(seal[i : i + size] for i in range(0, len(seal), size))


class Sealer:
    """Incremental version-2 seal over a published file, piece by piece, in file order.

    ``Sealer(header)``, then ``add(record)`` for each record in ascending id order, then
    ``add_receipt`` / ``add_envelope`` for each listed fingerprint in ascending order,
    then ``finish(footer)``. Anything out of order raises RecordError.
    """

    _SECTIONS = ("record", "receipt", "envelope")

    def __init__(self, header: dict) -> None:
        self._texts = _trie(check_text_paths(header.get("text_paths", [])))
        self._hash = hashlib.sha256(PREFIX_V2)
        self._piece("header", canonical_json(header))
        self._section = 0
        self._last: str | None = None
        self.count = 0
        self.receipts = 0
        self.envelopes = 0
        self.redacted = 0

    def _piece(self, kind: str, text: str) -> None:
        self._hash.update(kind.encode())
        self._hash.update(b":")
        self._hash.update(text.encode())
        self._hash.update(b"\n")

    def _enter(self, section: str, key: str) -> None:
        index = self._SECTIONS.index(section)
        if index < self._section:
            raise RecordError(f"a {section} line comes after the {self._SECTIONS[self._section]} lines")
        if index > self._section:
            self._section, self._last = index, None
        if self._last is not None and key <= self._last:
            if key == self._last:
                raise RecordError(f"{section} {key} appears twice")
            raise RecordError(f"{section} lines are not in ascending order at {key}")
        self._last = key

    def add(self, record: dict) -> str:
        """Seal one record; returns its canonical line (without the newline)."""
        line = canonical_record(record)
        self._enter("record", record["id"])
        payload = record["payload"]
        sealed, redacted = _seal_texts(payload, self._texts)
        # The record was checked whole (no float anywhere); markers add only strings.
        self._piece("record", line if sealed is payload else dumps_checked({**record, "payload": sealed}))
        self.redacted += redacted
        self.count += 1
        return line

    def add_receipt(self, receipt: str) -> None:
        self._enter("receipt", check_fingerprint(receipt, "a listed receipt"))
        self._piece("receipt", receipt)
        self.receipts += 1

    def add_envelope(self, envelope: str) -> None:
        self._enter("envelope", check_fingerprint(envelope, "an envelope fingerprint"))
        self._piece("envelope", envelope)
        self.envelopes += 1

    def footer(self, tally: dict) -> dict:
        """The footer fields the seal covers (everything but the seal itself)."""
        return {"count": self.count, "receipts": self.receipts, "envelopes": self.envelopes, "tally": tally}

    def finish(self, footer: dict) -> str:
        if "seal" in footer:
            raise RecordError("the seal does not cover itself")
        self._piece("footer", canonical_json(footer))
        return self._hash.hexdigest()


class SealerV1:
    """Version-1 seal (records and tally only), kept to recount files sealed before v2."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256(PREFIX_V1)
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


def seal_v1(records: Iterable[dict], tally: dict) -> str:
    """The version-1 seal of records given in any order (sorted in memory here)."""
    sealer = SealerV1()
    for record in sort_records(records):
        sealer.add(record)
    return sealer.finish(tally)
