"""Compile the .po catalogues to .mo with polib, so no system gettext is needed.

The .mo files are committed: a fresh machine with only Python gets translations.
"""

from pathlib import Path

import polib

for po_path in Path(__file__).resolve().parent.parent.glob("civitas/locale/*/LC_MESSAGES/*.po"):
    polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    print(f"compiled {po_path}")
