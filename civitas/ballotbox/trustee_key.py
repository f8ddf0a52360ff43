"""Make a trustee's key on one's own computer, without the platform ever seeing it.

    python -m civitas.ballotbox.trustee_key --vote "surveys.survey:12" --index 1 --total 2 \
        --name "Maître Durand" --title "Consultation sur la médiathèque" --out cle.txt

The trustee's page prints this command with the right values. The key file is written
(never over an existing file) and its public line printed, to paste on that page. Needs
only Python and PyNaCl: no Django, no database.
"""

from __future__ import annotations

import argparse
import os
import sys

from civitas.ballotbox import crypto


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make a Civitas trustee key.")
    parser.add_argument("--vote", required=True, help="the vote's reference, as on your trustee page")
    parser.add_argument("--index", type=int, required=True)
    parser.add_argument("--total", type=int, required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--title", required=True)
    parser.add_argument("--out", required=True, help="the key file to write")
    args = parser.parse_args(argv)
    if not 1 <= args.index <= args.total:
        parser.error("--index must be between 1 and --total")
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
