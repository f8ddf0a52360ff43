"""Give every French message its home: the catalogue of the one app that uses it, or the shared one.

    python scripts/split_catalogues.py          # move, drop copies and unused entries, compile
    python scripts/split_catalogues.py --check  # say what would change, change nothing (exit 1 if anything)

Safe to run again and again: a second run changes nothing. Run it after merging branches
that still append their strings to the project catalogue (civitas/locale): their entries
move to their app's catalogue. The rules and how conflicts between copies are settled are
in civitas/core/catalogues.py. Needs GNU gettext (xgettext) for the extraction.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings")


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from civitas.core import catalogues

    check = "--check" in argv
    report = catalogues.split(catalogues.extract(), write=not check)
    for line in report.lines(written=not check):
        print(line)
    if check:
        problems = report.problems()
        print("\n".join(problems) if problems else "every message is in its own catalogue, once, in French")
        return 1 if problems else 0
    for path in catalogues.compile_all():
        print(f"compiled {path}")
    if report.untranslated:
        print("Messages without French yet (give them with scripts/add_app_messages.py):")
        print("\n".join(report.untranslated))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
