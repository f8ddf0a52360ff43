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
    ``seal(records, tally) -> str`` (sha256 hex) over the canonical sorted records then
    the canonical tally. :class:`Sealer` computes the same digest incrementally from
    records fed in ascending ``id`` order (a database streams them ``ORDER BY id``), so
    sealing 250,000 answers needs no list in memory. The exact byte layout is in
    :mod:`civitas.sealing.seal`.

Receipts
    ``new_receipt_code()`` gives the respondent a random code such as
    ``"K7QF-3M2P-XJ4D-9RTA"``; only ``receipt_hash(code)`` is stored and published.
    The code proves that a record is in the published file and says nothing about who
    holds it.

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
    lists, dicts; no floats: write ratios as ``"num/den"`` strings).

Published file
    :mod:`civitas.sealing.published` writes and reads the JSON-lines file offered for
    download: a header line (format, kind, definition), one line per record in
    canonical order, and a closing line with the tally and the seal.
    ``python -m civitas.recount FILE [--receipt CODE]`` recomputes both.
"""

from civitas.sealing.canonical import CHANNELS, RecordError, canonical_json, canonical_record
from civitas.sealing.published import PublishedFile, read_published, write_published
from civitas.sealing.receipts import new_receipt_code, normalize_receipt_code, receipt_hash
from civitas.sealing.seal import Sealer, seal
from civitas.sealing.tallies import compute_tally, known_kinds, tally

__all__ = [
    "CHANNELS",
    "PublishedFile",
    "RecordError",
    "Sealer",
    "canonical_json",
    "canonical_record",
    "compute_tally",
    "known_kinds",
    "new_receipt_code",
    "normalize_receipt_code",
    "read_published",
    "receipt_hash",
    "seal",
    "tally",
    "write_published",
]
