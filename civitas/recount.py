"""Recount a published file of anonymous records: ``python -m civitas.recount FILE``.

Needs nothing but Python 3.11 and this source tree (standard library only). Reads the
file once, refuses any line not written in canonical form, recomputes the tally from
the records with the tally of the file's kind, recomputes the seal over the whole file
(:mod:`civitas.sealing.seal`), and prints OK or exactly what does not match.

``--seal SEAL``
    The seal announced when the vote closed (results page, closing report, open data),
    typed in any case, with or without spaces or dashes. Without it the recount can only
    say that the file agrees with itself: a forger who recomputes the tally and the seal
    makes a file that agrees with itself. With it, the recount fails unless the file is
    the one that was sealed.
``--receipt CODE``
    Whether the ballot of that receipt is counted. In ``reveal`` mode it names the record
    (and so what it says); in ``inclusion`` mode the file lists receipts apart from the
    records, and the recount says only that the ballot is counted.

Exit status: 0 when everything matches, 1 on a mismatch, 2 when the file or an argument
is unreadable.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from civitas.sealing.canonical import RecordError
from civitas.sealing.published import INCLUSION, FormatError, PublishedFile, read_published
from civitas.sealing.receipts import receipt_hash
from civitas.sealing.seal import Sealer, SealerV1, group_seal, normalize_seal
from civitas.sealing.tallies import compute_tally


@dataclass
class RecountReport:
    kind: str = ""
    version: int = 0
    receipt_mode: str = ""
    records: int = 0
    receipts: int = 0
    envelopes: int = 0
    redacted: int = 0
    seal: str = ""
    mismatches: list[str] = field(default_factory=list)
    receipt_found: str | None = None  # reveal mode: the id of the record holding the receipt
    receipt_counted: bool = False  # inclusion mode: the receipt is listed

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


def recount(
    published: PublishedFile, *, receipt: str | None = None, announced_seal: str | None = None
) -> RecountReport:
    report = RecountReport(
        kind=published.kind, version=published.version, receipt_mode=published.receipt_mode
    )
    wanted = receipt_hash(receipt) if receipt else None
    inclusion = published.receipt_mode == INCLUSION
    sealer: Sealer | SealerV1 = SealerV1() if published.version == 1 else Sealer(published.header)

    def sealed_records() -> Iterator[dict]:
        for record in published.records():
            sealer.add(record)
            if inclusion and record["receipt"] is not None:
                raise RecordError(f"record {record['id']}: in inclusion mode records carry no receipt")
            if wanted is not None and record["receipt"] == wanted:
                report.receipt_found = record["id"]
            yield record

    try:
        records = sealed_records()
        recomputed = compute_tally(published.kind, published.definition, records)
        for _rest in records:  # a tally that stopped early still has every record sealed
            pass
        if isinstance(sealer, Sealer):
            for name, fingerprint in published.sections():
                if name == "receipt":
                    if not inclusion:
                        raise RecordError("receipts are listed apart only in inclusion mode")
                    sealer.add_receipt(fingerprint)
                    report.receipt_counted = report.receipt_counted or fingerprint == wanted
                else:
                    sealer.add_envelope(fingerprint)
        else:
            for _section in published.sections():
                pass
    except KeyError as error:
        report.mismatches.append(str(error.args[0]))
        return report
    except RecordError as error:
        report.mismatches.append(f"bad line: {error}")
        return report
    report.records = sealer.count
    footer = published.footer or {}
    if footer.get("count") != sealer.count:
        report.mismatches.append(
            f"count: the file says {footer.get('count')!r}, it holds {sealer.count} records"
        )
    if isinstance(sealer, Sealer):
        report.receipts, report.envelopes, report.redacted = (
            sealer.receipts,
            sealer.envelopes,
            sealer.redacted,
        )
        for key, held in (("receipts", sealer.receipts), ("envelopes", sealer.envelopes)):
            if footer.get(key) != held:
                report.mismatches.append(f"{key}: the file says {footer.get(key)!r}, it lists {held}")
        if sealer.envelopes and sealer.envelopes != sealer.count:
            # Every record is cast encrypted (paper forms too): one record per envelope.
            report.mismatches.append(
                f"records: {sealer.count} records for {sealer.envelopes} encrypted records as cast"
            )
    if wanted is not None and not (report.receipt_found or report.receipt_counted):
        report.mismatches.append("receipt: this file counts no ballot with that receipt code")
    stored_tally = footer.get("tally")
    report.mismatches.extend(differences(stored_tally, recomputed))
    # The seal is checked against the file's own footer: a wrong tally and a wrong
    # seal are two separate findings.
    try:
        if isinstance(sealer, Sealer):
            report.seal = sealer.finish({key: value for key, value in footer.items() if key != "seal"})
        else:
            report.seal = sealer.finish(stored_tally if isinstance(stored_tally, dict) else {})
    except RecordError as error:
        report.mismatches.append(f"footer: {error}")
        return report
    if footer.get("seal") != report.seal:
        report.mismatches.append(
            f"seal: the file says {footer.get('seal')!r}, the recount gives {report.seal!r}"
        )
    if announced_seal is not None and normalize_seal(announced_seal) != report.seal:
        report.mismatches.append(
            f"seal: the file's content gives {group_seal(report.seal)}, "
            f"not the announced seal {group_seal(normalize_seal(announced_seal))}"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civitas.recount", description=__doc__.split("\n\n")[0])
    parser.add_argument("file", help="the published file (JSON lines)")
    parser.add_argument(
        "--seal", help="the seal announced at closing; the recount fails unless the file has it"
    )
    parser.add_argument("--receipt", help="a receipt code: is its ballot counted?")
    args = parser.parse_args(argv)
    if args.receipt:
        try:
            receipt_hash(args.receipt)
        except ValueError:
            print(f"not a receipt code: {args.receipt!r}")
            return 2
    if args.seal is not None:
        try:
            normalize_seal(args.seal)
        except ValueError:
            print(f"not a seal (64 hexadecimal characters): {args.seal!r}")
            return 2
    try:
        with open(args.file, encoding="utf-8") as stream:
            report = recount(read_published(stream), receipt=args.receipt, announced_seal=args.seal)
    except (OSError, FormatError, UnicodeDecodeError) as error:
        print(f"UNREADABLE: {error}")
        return 2
    except RecordError as error:
        print(f"MISMATCH bad line: {error}")
        return 1
    print(f"kind: {report.kind}")
    print(f"format version: {report.version}")
    if report.version == 1:
        print(
            "note: in a version 1 file the seal covers the records and the tally,"
            " not the header (labels, about)"
        )
    print(f"records: {report.records}")
    if report.version >= 2:
        print(f"receipt mode: {report.receipt_mode}")
        if report.receipt_mode == INCLUSION:
            print(f"receipts listed: {report.receipts}")
        print(f"envelopes: {report.envelopes}")
        print(f"redacted texts: {report.redacted}")
    if report.receipt_found:
        print(f"receipt: found, record {report.receipt_found}")
    elif report.receipt_counted:
        print(
            "receipt: counted (this file lists receipts apart from the records: it does not say which record)"
        )
    if report.ok:
        print(f"seal: {group_seal(report.seal)}")
        if args.seal is not None:
            print("OK: the tally matches the records and the file has the announced seal")
        else:
            print(
                "OK: the tally and the seal match the records"
                " (compare the seal with the announced one, or use --seal)"
            )
        return 0
    for mismatch in report.mismatches:
        print(f"MISMATCH {mismatch}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
