"""Compile the .po catalogues to .mo with polib, so no system gettext is needed.

The .mo files are committed: a fresh machine with only Python gets translations.
Every app keeps its own catalogue beside its code (``<app>/locale``), and the shared
messages are in the project catalogue (``civitas/locale``); Django finds them all (see
README, Translations). ``scripts/split_catalogues.py`` decides which message goes where.
"""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent
# "civitas/**/locale" matches civitas/locale itself as well as each app's own.
for po_path in sorted(root.glob("civitas/**/locale/*/LC_MESSAGES/*.po")):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path}")
