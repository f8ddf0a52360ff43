"""The published file: JSON lines an auditor downloads and recounts.

Version 2 layout (every file written since), one JSON object per line, UTF-8, each
line exactly ``canonical_json(value) + "\\n"`` (sorted keys, no spaces, non-ASCII
characters unescaped, no duplicate key, no float): a reader refuses any other spelling,
so that two programs can never read two different things from one file::

    {"about": {...}, "definition": {...}, "format": "civitas-sealed-records",
     "kind": "survey", "receipt_mode": "reveal" | "inclusion",
     "text_paths": [["q3"], ["q1", "other"]], "version": 2}              header
    {"channel": ..., "day": ..., "id": ..., "payload": {...}, "receipt": ...}   records,
    ...                                                                  ascending id
    {"receipt": "<sha256 hex>"}       receipts section (inclusion mode), ascending, unique
    ...
    {"envelope": "<sha256 hex>"}      envelopes section (optional), ascending, unique
    ...
    {"count": N, "envelopes": E, "receipts": R, "seal": "<sha256 hex>", "tally": {...}}

``definition`` is what the tally function needs (questions and options with their
labels, candidates and grades, projects and budget…); ``about`` describes the vote
(title, space, organization, ``closed_on``: the local closing day, the same calendar as
the records' ``day``). The seal covers every byte of meaning in the file: the header,
each record, each section line and the footer (:mod:`civitas.sealing.seal` gives the
exact bytes hashed).

Receipt modes
    ``reveal``: each record carries the hash of its receipt code, so the code leads to
    the record and shows what it says (fine for a consultation).
    ``inclusion``: records carry ``"receipt": null`` and the receipt hashes are listed
    apart, sorted: a code proves that its ballot is counted, never which record it is,
    so a receipt cannot show a coercer how someone voted.

Envelopes
    An optional sorted list of sha256 fingerprints of encrypted ballots as they were cast
    (``envelopes=`` of :func:`iter_published_lines`): a voter who kept the fingerprint of
    the envelope they sent can find it in the file.

Redacted texts
    ``text_paths`` says where free texts sit in a payload (a list of key paths). A text
    there may be published as its redaction marker ``{"redacted": "sha256:<hex>"}``
    (:func:`civitas.sealing.seal.redaction_marker`): the seal is the same either way, and
    the recount says how many texts are redacted. Tallies never depend on what a text says.

Version 1 (files sealed before): header ``{"about", "definition", "format", "kind",
"version": 1}``, records, then ``{"count", "seal", "tally"}``; its seal covers the
records and the tally only.
"""

from __future__ import annotations

import collections
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from civitas.sealing.canonical import RecordError, canonical_json
from civitas.sealing.seal import Sealer, SealerV1, check_text_paths

FORMAT = "civitas-sealed-records"
VERSION = 2
VERSIONS = (1, 2)
REVEAL = "reveal"
INCLUSION = "inclusion"
RECEIPT_MODES = (REVEAL, INCLUSION)
SECTIONS = ("receipt", "envelope")


class FormatError(ValueError):
    """The file is not a published record file at all (no header, no footer…)."""


class NotCanonical(RecordError):
    """A line that is not exactly the canonical serialisation of what it holds."""


def make_header(
    *,
    kind: str,
    definition: dict,
    about: dict | None = None,
    receipt_mode: str = REVEAL,
    text_paths: Iterable[Iterable[str]] = (),
    version: int = VERSION,
) -> dict:
    header = {
        "format": FORMAT,
        "version": version,
        "kind": kind,
        "definition": definition,
        "about": about or {},
    }
    paths = [list(path) for path in text_paths]
    if version >= 2:
        if receipt_mode not in RECEIPT_MODES:
            raise ValueError(f"receipt_mode must be one of {RECEIPT_MODES}, not {receipt_mode!r}")
        header["receipt_mode"] = receipt_mode
        check_text_paths(paths)
        header["text_paths"] = paths
    elif receipt_mode != REVEAL or paths:
        raise ValueError("version 1 files have receipts inside the records and no redactable texts")
    return header


def iter_published_lines(
    *,
    kind: str,
    definition: dict,
    records: Iterable[dict],
    tally: dict,
    about: dict | None = None,
    seal: str | None = None,
    receipt_mode: str = REVEAL,
    text_paths: Iterable[Iterable[str]] = (),
    receipts: Iterable[str] = (),
    envelopes: Iterable[str] = (),
    version: int = VERSION,
) -> Iterator[str]:
    """The file's lines, streamed (each ends with a newline).

    ``records`` must come in ascending id order, each free text (at one of
    ``text_paths``) in clear or as its redaction marker; in ``inclusion`` mode they carry no
    receipt and ``receipts`` lists the receipt hashes, ascending. ``envelopes`` are the
    fingerprints of the encrypted ballots as cast, ascending. Out-of-order or malformed
    input raises RecordError.

    ``seal`` is the seal published at closing; without it the seal is computed as the
    lines stream by. Publishing the stored seal (not a fresh one) means that anything
    changed after closing makes the recount fail, as it should.
    """
    header = make_header(
        kind=kind,
        definition=definition,
        about=about,
        receipt_mode=receipt_mode,
        text_paths=text_paths,
        version=version,
    )
    yield canonical_json(header) + "\n"
    if version == 1:
        legacy = SealerV1()
        for record in records:
            yield legacy.add(record) + "\n"
        if any(True for _ in receipts) or any(True for _ in envelopes):
            raise RecordError("version 1 files have no receipts or envelopes sections")
        computed = legacy.finish(tally)
        yield canonical_json({"count": legacy.count, "tally": tally, "seal": seal or computed}) + "\n"
        return
    sealer = Sealer(header)
    for record in records:
        if receipt_mode == INCLUSION and record.get("receipt") is not None:
            raise RecordError(f"record {record.get('id')}: in inclusion mode records carry no receipt")
        yield sealer.add(record) + "\n"
    for receipt in receipts:
        if receipt_mode != INCLUSION:
            raise RecordError("receipts are listed apart only in inclusion mode")
        sealer.add_receipt(receipt)
        yield canonical_json({"receipt": receipt}) + "\n"
    for envelope in envelopes:
        sealer.add_envelope(envelope)
        yield canonical_json({"envelope": envelope}) + "\n"
    footer = sealer.footer(tally)
    computed = sealer.finish(footer)
    yield canonical_json({**footer, "seal": seal or computed}) + "\n"


def file_seal(**arguments: Any) -> str:
    """The seal of the file :func:`iter_published_lines` writes with these arguments.

    Streams the file without keeping it, so it is the seal of exactly what is published.
    """
    arguments.pop("seal", None)
    (last,) = collections.deque(iter_published_lines(**arguments), maxlen=1)
    return json.loads(last)["seal"]


def write_published(stream: IO[str], **arguments: Any) -> None:
    """Write the file (same arguments as :func:`iter_published_lines`)."""
    for line in iter_published_lines(**arguments):
        stream.write(line)


class _DuplicateKey(Exception):
    pass


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        for key, _item in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_line(number: int, line: str) -> Any:
    """The value of one line, refused unless the line is exactly its canonical form."""
    text = line[:-1] if line.endswith("\n") else line
    try:
        value = json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise FormatError(f"line {number}: not JSON ({error.msg})") from None
    except _DuplicateKey as error:
        raise NotCanonical(
            f"line {number}: the key {error.args[0]!r} appears twice;"
            " two readers could see two different values"
        ) from None
    except ValueError as error:
        raise NotCanonical(f"line {number}: {error}") from None
    try:
        canonical = canonical_json(value)
    except (RecordError, ValueError) as error:
        raise NotCanonical(f"line {number}: {error}") from None
    if canonical != text:
        raise NotCanonical(
            f"line {number}: not written in canonical form (sorted keys, no spaces, characters unescaped)"
        )
    return value


@dataclass
class PublishedFile:
    """A published file opened for one streaming pass: ``records()``, then ``sections()``."""

    header: dict
    _lines: Iterator[tuple[int, str]]
    footer: dict | None = None
    _pending: tuple[int, Any] | None = field(default=None, repr=False)

    @property
    def version(self) -> int:
        return self.header["version"]

    @property
    def kind(self) -> str:
        return self.header["kind"]

    @property
    def definition(self) -> dict:
        return self.header["definition"]

    @property
    def about(self) -> dict:
        return self.header.get("about") or {}

    @property
    def receipt_mode(self) -> str:
        return self.header.get("receipt_mode", REVEAL)

    def _values(self) -> Iterator[tuple[int, Any]]:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            yield pending
        for number, line in self._lines:
            yield number, parse_line(number, line)

    def _is_footer(self, value: Any) -> bool:
        return isinstance(value, dict) and "seal" in value and "id" not in value

    def _close(self, value: dict) -> None:
        self.footer = value
        for extra_number, _extra in self._lines:
            raise FormatError(f"line {extra_number}: data after the closing line")

    def records(self) -> Iterator[dict]:
        """Yield the records; stops at the first line that is not one."""
        for number, value in self._values():
            if isinstance(value, dict) and "id" in value:
                yield value
                continue
            if not isinstance(value, dict):
                raise RecordError(f"line {number}: a record must be a JSON object")
            self._pending = (number, value)
            return
        raise FormatError("the closing line with the tally and the seal is missing")

    def sections(self) -> Iterator[tuple[str, str]]:
        """After the records: yield ``("receipt" | "envelope", fingerprint)``, then read the footer."""
        for number, value in self._values():
            if self._is_footer(value):
                self._close(value)
                return
            if (
                isinstance(value, dict)
                and len(value) == 1
                and next(iter(value)) in SECTIONS
                and self.version >= 2
            ):
                [(name, fingerprint)] = value.items()
                yield name, fingerprint
                continue
            if isinstance(value, dict) and "id" in value:
                raise RecordError(f"line {number}: a record after the receipts or envelopes")
            raise RecordError(f"line {number}: neither a record, a receipt, an envelope nor the closing line")
        raise FormatError("the closing line with the tally and the seal is missing")


def read_published(stream: Iterable[str]) -> PublishedFile:
    lines = enumerate(stream, start=1)
    try:
        number, first = next(lines)
    except StopIteration:
        raise FormatError("the file is empty") from None
    header: Any = parse_line(number, first)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise FormatError(f"line 1: not a {FORMAT} file")
    if header.get("version") not in VERSIONS:
        raise FormatError(f"line 1: unsupported version {header.get('version')!r}")
    if not isinstance(header.get("kind"), str) or not isinstance(header.get("definition"), dict):
        raise FormatError("line 1: the header needs a kind and a definition")
    if header["version"] >= 2 and header.get("receipt_mode") not in RECEIPT_MODES:
        raise FormatError(f"line 1: receipt_mode must be one of {', '.join(RECEIPT_MODES)}")
    if header["version"] >= 2:
        try:
            check_text_paths(header.get("text_paths"))
        except RecordError as error:
            raise FormatError(f"line 1: {error}") from None
    return PublishedFile(header=header, _lines=lines)
