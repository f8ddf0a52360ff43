"""Check a petition's published signature list: ``python -m civitas.petition_recount FILE``.

Standard library only, like :mod:`civitas.recount`, whose checks it runs (every line
canonical, records in ascending pseudonym order so that no pseudonym can appear twice,
the counts and the seal recomputed), then adds what a petition's reader wants to know:

``--count N``   the number of signatures displayed on the petition's page: the file
                must hold exactly that many.
``--seal SEAL`` the seal displayed next to the download link: a forged file, even one
                whose own seal was recomputed, fails.
``--receipt CODE``  your receipt code: is your signature in the list?

Exit status: 0 when everything matches, 1 on a mismatch, 2 when unreadable.
"""

from __future__ import annotations

import argparse
import sys

from civitas.recount import recount
from civitas.sealing.canonical import RecordError
from civitas.sealing.published import FormatError, read_published
from civitas.sealing.receipts import receipt_hash
from civitas.sealing.seal import group_seal, normalize_seal


def check(path: str, *, count: int | None, seal: str | None, receipt: str | None) -> tuple[int, list[str]]:
    lines: list[str] = []
    try:
        with open(path, encoding="utf-8") as stream:
            published = read_published(stream)
            if published.kind != "petition":
                return 2, [f"UNREADABLE: this is a {published.kind!r} file, not a petition's signature list"]
            report = recount(published, receipt=receipt, announced_seal=seal)
    except (OSError, FormatError, UnicodeDecodeError) as error:
        return 2, [f"UNREADABLE: {error}"]
    except RecordError as error:
        return 1, [f"MISMATCH bad line: {error}"]
    about = published.header.get("about", {})
    lines.append(f"petition: {about.get('petition', '')}")
    lines.append(f"sealed on: {about.get('sealed_on', '')}{' (final)' if about.get('final') else ''}")
    tally = (published.footer or {}).get("tally") or {}
    lines.append(f"signatures: {report.records} (online {tally.get('online')}, paper {tally.get('paper')})")
    mismatches = list(report.mismatches)
    if not mismatches:
        lines.append("no pseudonym appears twice: every record id is greater than the one before")
    if count is not None and report.records != count:
        mismatches.append(f"count: the page displays {count}, the file holds {report.records} signatures")
    if report.receipt_found:
        lines.append("receipt: your signature is in the list")
    if mismatches:
        return 1, lines + [f"MISMATCH {mismatch}" for mismatch in mismatches]
    lines.append(f"seal: {group_seal(report.seal)}")
    if seal is None:
        lines.append("OK, but compare the seal with the one displayed on the petition's page (or use --seal)")
    else:
        lines.append("OK: the file is the sealed list, and its count and seal match")
    return 0, lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m civitas.petition_recount", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("file", help="the signature list (JSON lines)")
    parser.add_argument("--count", type=int, help="the number of signatures the page displays")
    parser.add_argument("--seal", help="the seal displayed next to the download link")
    parser.add_argument("--receipt", help="your receipt code")
    args = parser.parse_args(argv)
    try:
        if args.receipt:
            receipt_hash(args.receipt)
        if args.seal is not None:
            normalize_seal(args.seal)
    except ValueError as error:
        print(f"UNREADABLE argument: {error}")
        return 2
    status, lines = check(args.file, count=args.count, seal=args.seal, receipt=args.receipt)
    print("\n".join(lines))
    return status


if __name__ == "__main__":
    sys.exit(main())
