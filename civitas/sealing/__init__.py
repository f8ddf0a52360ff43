"""Anonymous records, tallies, seals and receipts: the part of a vote an auditor checks.

Framework-free (standard library only), so that ``python -m civitas.recount`` runs on
any machine with Python and nothing else. Surveys use it now; majority-judgment and
budget votes plug their own tally into the same machinery.

Records
    An anonymous record is a plain dict with exactly these keys::

        {"id": "<random UUID, lowercase, with hyphens>",
         "day": "YYYY-MM-DD",            # never a finer time
         "channel": "online" | "paper" | "post" | …,
         "receipt": "<sha256 hex of the receipt code>" | None,
         "payload": {...}}               # the answer or ballot, JSON values only

    :func:`canonical_record` checks one and returns its canonical JSON line
    (sorted keys, no spaces, UTF-8). The canonical order of records is by ``id``;
    since ids are random, that order says nothing about when a record was made.

Seal
    One SHA-256 over the whole published file: header (kind, definition with every
    label, ``about``, receipt mode), every record, the receipts and envelopes sections
    and the footer (counts and tally). Strings inside payloads enter it through their
    hash only, so a hidden free text can be published as its redaction marker with the
    seal unchanged. :class:`Sealer` computes it incrementally as the file streams (a
    database streams records ``ORDER BY id``), so sealing 250,000 answers needs no list in
    memory; :func:`file_seal` gives the seal of the file a set of arguments writes. The
    exact bytes hashed are in :mod:`civitas.sealing.seal`; :func:`group_seal` writes a
    seal in groups of four characters for people to compare.

Receipts
    ``new_receipt_code()`` gives the respondent a random code such as
    ``"K7QF-3M2P-XJ4D-9RTA"``; only ``receipt_hash(code)`` is stored and published.
    The code proves that a record is in the published file and says nothing about who
    holds it. Per vote, the file either keeps each receipt hash in its record (``reveal``:
    the code leads to the record and its content) or lists the hashes apart, sorted
    (``inclusion``: the code proves that the ballot is counted, not what it says, so it
    cannot serve a coercer).

Tallies
    ``compute_tally(kind, definition, records)`` dispatches to the tally function
    registered for ``kind``. Every module of :mod:`civitas.sealing.kinds` is imported
    on first use; a module there registers itself with the ``@tally("<kind>")``
    decorator, for example::

        # civitas/sealing/kinds/majority_judgment.py
        from civitas.sealing.tallies import tally

        @tally("majority_judgment")
        def tally_majority_judgment(definition: dict, records: Iterable[dict]) -> dict: ...

    A tally function must be deterministic and return JSON values only (ints, strings,
    lists, dicts; no floats: write ratios as ``"num/den"`` strings). It must not depend
    on what a free text says, only on whether there is one: a hidden text reaches it as
    its redaction marker ``{"redacted": "sha256:…"}``.

Published file
    :mod:`civitas.sealing.published` writes and reads the JSON-lines file offered for
    download (byte layout in its docstring): a header line, one line per record in
    canonical order, optional receipts and envelopes sections, and a closing line with
    the counts, the tally and the seal. Every line must be exactly the canonical JSON of
    what it holds. ``python -m civitas.recount FILE [--seal SEAL] [--receipt CODE]``
    recomputes the tally and the seal and compares with the announced seal.
"""

from civitas.sealing.canonical import CHANNELS, RecordError, canonical_json, canonical_record
from civitas.sealing.published import (
    PublishedFile,
    file_seal,
    iter_published_lines,
    read_published,
    write_published,
)
from civitas.sealing.receipts import new_receipt_code, normalize_receipt_code, receipt_hash
from civitas.sealing.seal import Sealer, SealerV1, group_seal, normalize_seal, redaction_marker, seal_v1
from civitas.sealing.tallies import compute_tally, known_kinds, tally

__all__ = [
    "CHANNELS",
    "PublishedFile",
    "RecordError",
    "Sealer",
    "SealerV1",
    "canonical_json",
    "canonical_record",
    "compute_tally",
    "file_seal",
    "group_seal",
    "iter_published_lines",
    "known_kinds",
    "new_receipt_code",
    "normalize_receipt_code",
    "normalize_seal",
    "read_published",
    "receipt_hash",
    "redaction_marker",
    "seal_v1",
    "tally",
    "write_published",
]
