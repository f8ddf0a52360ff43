"""Make a trustee's key on one's own computer, without the platform ever seeing it.

    python -m civitas.ballotbox.trustee_key --vote surveys.survey:12 --index 1 --total 2 --out cle.txt

The trustee's page prints this command with the right values, all made by the platform
(never a name or title an admin typed: the command goes into a shell). ``--name`` and
``--title`` may be added by the trustee; they only label the file. The key file is written
(never over an existing file) and its public line printed, to paste on that page. Needs
only Python and PyNaCl: no Django, no database.
"""

from __future__ import annotations

import argparse
import os
import re
import sys

from civitas.ballotbox import crypto

VOTE_REFERENCE = re.compile(r"[a-z_]+\.[a-z_]+:[0-9]+")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a Civitas trustee key.")
    parser.add_argument("--vote", required=True, help="the vote's reference, as on your trustee page")
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--name", default="", help="your name, to label the file")
    parser.add_argument("--title", default="", help="the vote's title, to label the file")
    parser.add_argument("--out", required=True, help="the key file to write")
    args = parser.parse_args(argv)
    if not 1 <= args.index <= args.total:
        parser.error("--index must be between 1 and --total")
    if not VOTE_REFERENCE.fullmatch(args.vote):
        parser.error("--vote must be a vote's reference as on your trustee page, e.g. surveys.survey:12")
    private, public = crypto.new_trustee_key()
    text = crypto.format_trustee_key(
        target_ref=args.vote,
        vote_title=args.title,
        index=args.index,
        total=args.total,
        name=args.name,
        private=private,
    )
    try:
        # O_EXCL: a second run must not silently replace a key already registered.
        descriptor = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"{args.out} already exists: choose another name.", file=sys.stderr)
        return 1
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    print(f"Key file written to {args.out}. Paste this line on your trustee page:")
    print(f"public: {crypto.encode_share(public)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
