"""Re-run a published draw, or commit to a secret (standard library only).

``python -m civitas.sortition verify FILE SEED… --hash HASH``
    The file is a panel lottery or a list of items (proposals). SEED is the seed announced
    at the draw; when the file's seed comes from sealed contributions (commit–reveal), give
    each contributor's revealed secret instead, in the file's order.

``python -m civitas.sortition commit [SECRET]``
    Print the commitment (SHA-256) of a secret, after making a random one if none is given.

Exit status of ``verify``: 0 the draw is reproduced from the file whose hash was published;
1 the file or a secret does not match (changed after publication, wrong hash, wrong secret);
2 the input cannot be used (no file, not a lottery file, empty seed);
3 the draw is reproduced but the file was not compared with the published hash (no --hash):
nothing then proves it is the file that was published before the draw.
"""

from __future__ import annotations

import argparse
import secrets
import sys

from .draw import (
    COMMIT_REVEAL,
    LEGACY_FORMATS,
    LotteryFileError,
    SeedError,
    TamperedFileError,
    commitment,
    document_hash,
    draw,
    draw_items,
    is_items,
    parse_file,
    seed_for,
)

VERIFIED, MISMATCH, UNUSABLE, UNANCHORED = 0, 1, 2, 3
MINIMUM_SECRET_LENGTH = 16


def _error(message: str, status: int) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m civitas.sortition")
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="reproduce the draw from the published file and the seed")
    verify.add_argument("file", help="the published file (JSON)")
    verify.add_argument(
        "seed",
        nargs="+",
        help="the seed announced at the draw (quote it if it has spaces); for commit–reveal, "
        "each contributor's revealed secret, in the file's order",
    )
    verify.add_argument("--hash", help="the hash published before the draw, checked against the file")
    commit = commands.add_parser("commit", help="print the SHA-256 commitment of a secret")
    commit.add_argument("secret", nargs="?", help="your secret (a random one is made if you give none)")
    arguments = parser.parse_args(argv)
    if arguments.command == "commit":
        return _commit(arguments.secret)
    return _verify(arguments.file, arguments.seed, arguments.hash)


def _commit(secret: str | None) -> int:
    if secret is None:
        secret = "-".join(secrets.token_hex(4) for _ in range(4))
        print(f"secret:     {secret}   (keep it private until the draw, then reveal it exactly)")
    elif not secret.strip():
        return _error("the secret is empty", UNUSABLE)
    elif len(secret.strip()) < MINIMUM_SECRET_LENGTH:
        # A date or a few dice rolls is found from its SHA-256 by trying every possibility.
        print(
            f"warning: a secret of fewer than {MINIMUM_SECRET_LENGTH} characters may be guessed from "
            "its SHA-256; run the command without a secret to get a random one",
            file=sys.stderr,
        )
    print(f"commitment: {commitment(secret)}   (give this to the organisers before publication)")
    return VERIFIED


def _verify(path: str, values: list[str], published_hash: str | None) -> int:
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        return _error(f"cannot read {path}: {error.strerror}", UNUSABLE)
    try:
        document = parse_file(raw)
    except TamperedFileError as error:
        return _error(str(error), MISMATCH)
    except LotteryFileError as error:
        return _error(str(error), UNUSABLE)
    file_hash = document_hash(document)
    if published_hash is not None and published_hash.strip().lower() != file_hash:
        return _error(f"the file's hash is {file_hash}, not the published {published_hash}", MISMATCH)
    try:
        seed = seed_for(document, values)
    except SeedError as error:
        if error.kind == "empty" and error.index is None:
            return _error("the seed is empty: give the seed announced at the draw", UNUSABLE)
        return _error(str(error), MISMATCH if error.kind == "mismatch" else UNUSABLE)

    print(f"{'list' if is_items(document) else 'lottery'}: {document['title']}")
    print(f"sha-256: {file_hash}")
    _print_rule(document, values)
    print(f"seed:    {seed}")
    if is_items(document):
        _print_items(document, seed)
    else:
        _print_panel(document, seed)

    if document["format"] in LEGACY_FORMATS:
        print("note: this file predates seed rules: it does not say where its seed was to come from")
    if published_hash is None:
        print(
            f"warning: not compared with the published hash. This file's SHA-256 is {file_hash}: "
            "it must be the hash published before the draw (run again with --hash HASH). "
            "Without it, nothing proves this is the published file.",
            file=sys.stderr,
        )
        return UNANCHORED
    return VERIFIED


def _print_rule(document: dict, values: list[str]) -> None:
    rule = document.get("seed")
    if not rule:
        return
    if rule["kind"] == COMMIT_REVEAL:
        contributors = rule["contributors"]
        print(f"seed source: secrets of {len(contributors)} contributors, revealed from {rule['draw_at']}")
        if rule["description"]:
            print(f"  {rule['description']}")
        for rank, (contributor, secret) in enumerate(zip(contributors, values, strict=True), start=1):
            print(f"  {rank}. {contributor['name']}: {secret.strip()} (matches {contributor['commitment']})")
    else:
        print(f"seed source: {rule['description']} (public from {rule['draw_at']})")


def _print_panel(document: dict, seed: str) -> None:
    result = draw(document, seed)
    print(f"panel number {result.panel_number} of {len(document['panels'])} in the file")
    print(f"panel ({len(result.panel)}):")
    for code in result.panel:
        print(f"  {code}")
    print(f"alternates, in order ({len(result.alternates)}):")
    for rank, code in enumerate(result.alternates, start=1):
        print(f"  {rank}. {code}")


def _print_items(document: dict, seed: str) -> None:
    result = draw_items(document, seed)
    titles = {str(item["id"]): item.get("title", "") for item in document["items"]}
    print(f"drawn, in order ({len(result.chosen)} of {len(titles)}):")
    for rank, item in enumerate(result.chosen, start=1):
        print(f"  {rank}. {item}  {titles[item]}")


if __name__ == "__main__":
    sys.exit(main())
