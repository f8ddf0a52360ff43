"""After merging branches, check that no French string was garbled by the union merge.

    python scripts/check_catalogue_merge.py HEAD~1 other-branch [--fix]

``.po`` files merge by union (.gitattributes): when one side deleted or moved entries and
the other appended some, the union can leave stray continuation lines that glue a French
string to the entry before it. Every French string in the working tree must equal the
French that one of the given revisions had for the same message; ``--fix`` restores it
when exactly one of theirs is a prefix of the garbled one. New messages are only counted.
Exits 1 when something is still suspicious. Run it after ``split_catalogues.py``.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def _catalogues_at(revision: str):
    names = subprocess.run(  # noqa: S603 - git, with a revision the developer typed
        ["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", revision],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in names:
        if name.endswith("/fr/LC_MESSAGES/django.po"):
            text = subprocess.run(  # noqa: S603
                ["git", "-C", str(ROOT), "show", f"{revision}:{name}"],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            yield polib.pofile(text)


def _french(entry) -> str:
    return entry.msgstr if not entry.msgid_plural else str(sorted(entry.msgstr_plural.items()))


def main(arguments: list[str]) -> int:
    fix = "--fix" in arguments
    known: dict[tuple, set[str]] = {}
    for revision in [argument for argument in arguments if not argument.startswith("--")]:
        for catalogue in _catalogues_at(revision):
            for entry in catalogue:
                if not entry.obsolete and entry.translated():
                    known.setdefault((entry.msgctxt, entry.msgid), set()).add(_french(entry))
    suspicious = new = 0
    for path in sorted(ROOT.glob("civitas/**/locale/fr/LC_MESSAGES/django.po")):
        catalogue = polib.pofile(str(path), wrapwidth=79)
        changed = False
        for entry in catalogue:
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete:
                continue
            if key not in known:
                new += 1
                continue
            if _french(entry) in known[key]:
                continue
            prefixes = [
                french for french in known[key] if not entry.msgid_plural and entry.msgstr.startswith(french)
            ]
            if fix and len(prefixes) == 1:
                entry.msgstr, changed = prefixes[0], True
                print(f"restored {path.relative_to(ROOT)}: {entry.msgid[:70]!r}")
                continue
            suspicious += 1
            print(f"garbled? {path.relative_to(ROOT)}: {entry.msgid[:70]!r} -> {_french(entry)[:70]!r}")
        if changed:
            catalogue.save(str(path))
    print(f"{suspicious} suspicious, {new} new messages")
    return 1 if suspicious else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
