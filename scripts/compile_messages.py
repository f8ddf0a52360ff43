"""Compile the .po catalogues to .mo with polib, so no system gettext is needed.

The .mo files are committed: a fresh machine with only Python gets translations.
Besides the project catalogue (civitas/locale), a component may keep its own beside its
code (civitas/components/<name>/locale), which ``makemessages`` fills with that
component's strings; Django finds both.
"""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent
# "civitas/**/locale" matches civitas/locale itself as well as each component's own.
for po_path in sorted(root.glob("civitas/**/locale/*/LC_MESSAGES/*.po")):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path}")
