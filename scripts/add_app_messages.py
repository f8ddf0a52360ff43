"""Add one app's new messages to the French catalogue, leaving the rest of it as it is.

``make messages`` rewrites the whole catalogue; when several branches change it at once
their merges collide. This script takes the app's entries from a freshly extracted
catalogue (``FULL``), fills their French from a Python dict in ``TRANSLATIONS`` and adds
them to the committed catalogue, then compiles it:

    python scripts/add_app_messages.py FULL.po civitas/api TRANSLATIONS.py
"""

import runpy
import sys
from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "civitas/locale/fr/LC_MESSAGES/django.po"


def main(full_path: str, app_dir: str, translations_path: str) -> None:
    french = runpy.run_path(translations_path)["FR"]
    full = polib.pofile(full_path)
    catalogue = polib.pofile(str(CATALOGUE))
    added = []
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    missing = []
    for entry in full:
        if entry.obsolete or not any(path.startswith(app_dir) for path, _line in entry.occurrences):
            continue
        if (entry.msgctxt, entry.msgid) in known:
            continue
        if entry.msgid not in french:
            missing.append(entry.msgid)
            continue
        entry.msgstr = french[entry.msgid]
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgctxt = None
        added.append(entry)
    if missing:
        sys.exit("No French for:\n" + "\n".join(missing))
    # Appended as text: the entries already there stay byte for byte as they were.
    with CATALOGUE.open("a", encoding="utf-8") as handle:
        for entry in added:
            handle.write("\n" + entry.__unicode__(wrapwidth=79))
    polib.pofile(str(CATALOGUE)).save_as_mofile(str(CATALOGUE.with_suffix(".mo")))
    print(f"added {len(added)} entries")


if __name__ == "__main__":
    main(*sys.argv[1:])
