"""The published file: JSON lines an auditor downloads and recounts.

Layout, one JSON object per line (UTF-8)::

    {"format": "civitas-sealed-records", "version": 1, "kind": "survey",
     "definition": {...}, "about": {...}}                 header
    {"id": ..., "day": ..., "channel": ..., "receipt": ..., "payload": {...}}
    ...                                                     records, ascending id
    {"count": N, "tally": {...}, "seal": "<sha256 hex>"}    footer

``definition`` is what the tally function needs (questions and options, candidates
and grades, projects and budget…); ``about`` is free descriptive text (title,
organization, closing day) that the tally and the seal ignore.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from civitas.sealing.canonical import RecordError, canonical_json
from civitas.sealing.seal import Sealer

FORMAT = "civitas-sealed-records"
VERSION = 1


def header_line(kind: str, definition: dict, about: dict | None = None) -> str:
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kind": kind,
        "definition": definition,
        "about": about or {},
    }
    return canonical_json(header) + "\n"


def footer_line(count: int, tally: dict, seal: str) -> str:
    return canonical_json({"count": count, "tally": tally, "seal": seal}) + "\n"


def iter_published_lines(
    *,
    kind: str,
    definition: dict,
    records: Iterable[dict],
    tally: dict,
    about: dict | None = None,
    seal: str | None = None,
) -> Iterator[str]:
    """The file's lines, streamed; records must come in ascending id order.

    ``seal`` is the seal published at closing; without it the seal is computed from
    the records as they stream by. Publishing the stored seal (not a fresh one) means
    that records changed after closing make the recount fail, as they should.
    """
    yield header_line(kind, definition, about)
    sealer = Sealer()
    for record in records:
        yield sealer.add(record) + "\n"
    computed = sealer.finish(tally)
    yield footer_line(sealer.count, tally, seal if seal is not None else computed)


def write_published(
    stream: IO[str],
    *,
    kind: str,
    definition: dict,
    records: Iterable[dict],
    tally: dict,
    about: dict | None = None,
) -> None:
    for line in iter_published_lines(
        kind=kind, definition=definition, records=records, tally=tally, about=about
    ):
        stream.write(line)


class FormatError(ValueError):
    """The file is not a published record file at all (no header, no footer…)."""


@dataclass
class PublishedFile:
    """A published file opened for one streaming pass over its records."""

    kind: str
    definition: dict
    about: dict
    _lines: Iterator[tuple[int, str]]
    footer: dict | None = None
    problems: list[str] = field(default_factory=list)

    def records(self) -> Iterator[dict]:
        """Yield the records; afterwards ``footer`` holds the closing line."""
        for number, line in self._lines:
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise FormatError(f"line {number}: not JSON ({error.msg})") from None
            if isinstance(value, dict) and "seal" in value and "id" not in value:
                self.footer = value
                for extra_number, extra in self._lines:
                    if extra.strip():
                        raise FormatError(f"line {extra_number}: data after the closing line")
                return
            if not isinstance(value, dict):
                raise RecordError(f"line {number}: a record must be a JSON object")
            yield value
        if self.footer is None:
            raise FormatError("the closing line with the tally and the seal is missing")


def read_published(stream: Iterable[str]) -> PublishedFile:
    lines = enumerate(stream, start=1)
    try:
        _number, first = next(lines)
    except StopIteration:
        raise FormatError("the file is empty") from None
    try:
        header: Any = json.loads(first)
    except json.JSONDecodeError:
        raise FormatError("line 1: the header is not JSON") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise FormatError(f"line 1: not a {FORMAT} file")
    if header.get("version") != VERSION:
        raise FormatError(f"line 1: unsupported version {header.get('version')!r}")
    if not isinstance(header.get("kind"), str) or not isinstance(header.get("definition"), dict):
        raise FormatError("line 1: the header needs a kind and a definition")
    return PublishedFile(
        kind=header["kind"], definition=header["definition"], about=header.get("about") or {}, _lines=lines
    )
