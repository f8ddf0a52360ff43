"""Recount a published file of anonymous records: ``python -m civitas.recount FILE``.

Needs nothing but Python 3.11 and this source tree (standard library only). Reads the
file once, recomputes the tally from the records with the tally of the file's kind,
recomputes the seal, and prints OK or exactly what does not match. With
``--receipt CODE`` it also says whether the record of that receipt is in the file.

Exit status: 0 when everything matches, 1 on a mismatch, 2 when the file is unreadable.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from civitas.sealing.canonical import RecordError
from civitas.sealing.published import FormatError, PublishedFile, read_published
from civitas.sealing.receipts import receipt_hash
from civitas.sealing.seal import Sealer
from civitas.sealing.tallies import compute_tally


@dataclass
class RecountReport:
    kind: str = ""
    records: int = 0
    seal: str = ""
    mismatches: list[str] = field(default_factory=list)
    receipt_found: str | None = None  # the id of the record holding the receipt

    @property
    def ok(self) -> bool:
        return not self.mismatches


def differences(expected: Any, actual: Any, path: str = "tally") -> Iterator[str]:
    """Every place where the file's value and the recomputed one differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            where = f"{path}.{key}"
            if key not in actual:
                yield f"{where}: in the file, but the recount has no such entry"
            elif key not in expected:
                yield f"{where}: missing from the file, the recount gives {actual[key]!r}"
            else:
                yield from differences(expected[key], actual[key], where)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            yield from differences(left, right, f"{path}[{index}]")
    elif expected != actual or type(expected) is not type(actual):
        yield f"{path}: the file says {expected!r}, the recount gives {actual!r}"


def recount(published: PublishedFile, *, receipt: str | None = None) -> RecountReport:
    report = RecountReport(kind=published.kind)
    wanted = receipt_hash(receipt) if receipt else None
    sealer = Sealer()

    def sealed_records() -> Iterator[dict]:
        for record in published.records():
            sealer.add(record)
            if wanted is not None and record["receipt"] == wanted:
                report.receipt_found = record["id"]
            yield record

    try:
        recomputed = compute_tally(published.kind, published.definition, sealed_records())
    except KeyError as error:
        report.mismatches.append(str(error.args[0]))
        return report
    except RecordError as error:
        report.mismatches.append(f"bad record: {error}")
        return report
    report.records = sealer.count
    if wanted is not None and report.receipt_found is None:
        report.mismatches.append("receipt: no record of this file carries that receipt code")
    footer = published.footer or {}
    if footer.get("count") != sealer.count:
        report.mismatches.append(
            f"count: the file says {footer.get('count')!r}, it holds {sealer.count} records"
        )
    stored_tally = footer.get("tally")
    report.mismatches.extend(differences(stored_tally, recomputed))
    # The seal is checked against the file's own tally: a wrong tally and a wrong
    # seal are two separate findings.
    try:
        report.seal = sealer.finish(stored_tally if isinstance(stored_tally, dict) else {})
    except RecordError as error:
        report.mismatches.append(f"tally: {error}")
        return report
    if footer.get("seal") != report.seal:
        report.mismatches.append(
            f"seal: the file says {footer.get('seal')!r}, the recount gives {report.seal!r}"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civitas.recount", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="the published file (JSON lines)")
    parser.add_argument("--receipt", help="a receipt code to look for in the file")
    args = parser.parse_args(argv)
    if args.receipt:
        try:
            receipt_hash(args.receipt)
        except ValueError:
            print(f"not a receipt code: {args.receipt!r}")
            return 2
    try:
        with open(args.file, encoding="utf-8") as stream:
            report = recount(read_published(stream), receipt=args.receipt)
    except (OSError, FormatError, UnicodeDecodeError) as error:
        print(f"UNREADABLE: {error}")
        return 2
    print(f"kind: {report.kind}")
    print(f"records: {report.records}")
    if report.receipt_found:
        print(f"receipt: found, record {report.receipt_found}")
    if report.ok:
        print(f"seal: {report.seal}")
        print("OK: the tally and the seal match the records")
        return 0
    for mismatch in report.mismatches:
        print(f"MISMATCH {mismatch}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
