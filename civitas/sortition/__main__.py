"""``python -m civitas.sortition verify FILE SEED``: re-run a published draw (standard library only).

The file is either a panel lottery or a list of items (proposals) to draw from.
"""

from __future__ import annotations

import argparse
import sys

from .draw import ITEMS_FORMAT, LotteryFileError, document_hash, draw, draw_items, parse_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civitas.sortition")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="reproduce the panel from the published file and the seed")
    verify.add_argument("file", help="the published lottery file (JSON)")
    verify.add_argument("seed", help="the seed announced at the draw (quote it if it has spaces)")
    verify.add_argument("--hash", help="the published hash, checked against the file")
    arguments = parser.parse_args(argv)

    with open(arguments.file, "rb") as handle:
        raw = handle.read()
    try:
        document = parse_file(raw)
    except LotteryFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    lottery_hash = document_hash(document)
    if arguments.hash and arguments.hash.strip().lower() != lottery_hash:
        print(
            f"error: the file's hash is {lottery_hash}, not the published {arguments.hash}", file=sys.stderr
        )
        return 1
    if document["format"] == ITEMS_FORMAT:
        return _print_items(document, lottery_hash, arguments.seed)
    result = draw(document, arguments.seed)
    print(f"lottery: {document['title']}")
    print(f"sha-256: {lottery_hash}")
    print(f"seed:    {result.seed}")
    print(f"panel number {result.panel_number} of {len(document['panels'])} in the file")
    print(f"panel ({len(result.panel)}):")
    for code in result.panel:
        print(f"  {code}")
    print(f"alternates, in order ({len(result.alternates)}):")
    for rank, code in enumerate(result.alternates, start=1):
        print(f"  {rank}. {code}")
    return 0


def _print_items(document: dict, list_hash: str, seed: str) -> int:
    result = draw_items(document, seed)
    titles = {str(item["id"]): item.get("title", "") for item in document["items"]}
    print(f"list:    {document['title']}")
    print(f"sha-256: {list_hash}")
    print(f"seed:    {result.seed}")
    print(f"drawn, in order ({len(result.chosen)} of {len(titles)}):")
    for rank, item in enumerate(result.chosen, start=1):
        print(f"  {rank}. {item}  {titles[item]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
