"""Give French to the messages that have none yet, each in its app's catalogue, and compile.

    python scripts/add_app_messages.py TRANSLATIONS.py

``TRANSLATIONS.py`` holds a dict ``FR``: the English message (or ``(context, message)``
for ``pgettext``) to its French, or to its two French forms for a plural::

    FR = {
        "Close the vote": "Clore le vote",
        ("verb", "Open"): "Ouvrir",
        "%(counter)s vote": ("%(counter)s vote", "%(counter)s votes"),
    }

The script reads every template and Python file afresh (GNU gettext's ``xgettext``), so
no catalogue needs extracting by hand. Each new entry is appended to the catalogue of the
app that uses it, or to the shared project catalogue when several apps do (the rules are
in civitas/core/catalogues.py); the entries already there stay byte for byte as they
were, so ``.po`` files still merge by union. It also does what ``split_catalogues.py``
does (entries in a wrong catalogue move home, unused ones go). If a message still lacks
French, it says which and changes nothing. Messages that already have French keep it:
to change a translation, edit it in its catalogue and run ``compile_messages.py``.

The older form ``add_app_messages.py FULL.po APP_DIR TRANSLATIONS.py`` still works: the
first two arguments are no longer needed and are ignored.
"""

import os
import runpy
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civitas.settings")


def french_entries(french: dict, messages: dict) -> tuple[dict, list[str]]:
    """The given French as catalogue entries, and what is wrong with it (unknown keys, shapes)."""
    import polib

    entries, errors = {}, []
    for given, value in french.items():
        key = given if isinstance(given, tuple) else (None, given)
        source = messages.get(key)
        if source is None:
            errors.append(f"no source uses {given!r} (typo, or a context missing?)")
            continue
        entry = polib.POEntry(msgid=source.msgid, msgctxt=source.msgctxt, msgid_plural=source.msgid_plural)
        if source.msgid_plural:
            if isinstance(value, str) or len(value) != 2:
                errors.append(f"{given!r} is a plural: give its two French forms")
                continue
            entry.msgstr_plural = {0: value[0], 1: value[1]}
        elif not isinstance(value, str):
            errors.append(f"{given!r} is not a plural: give one French string")
            continue
        else:
            entry.msgstr = value
        entries[key] = entry
    return entries, errors


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 3):
        sys.exit(__doc__)
    import django

    django.setup()
    from civitas.core import catalogues

    messages = catalogues.extract()
    given, errors = french_entries(runpy.run_path(argv[-1])["FR"], messages)
    if errors:
        sys.exit("Nothing changed:\n" + "\n".join(errors))
    report = catalogues.split(messages, extra_french=given, write=False)
    if report.untranslated:
        sys.exit("Nothing changed. No French for:\n" + "\n".join(report.untranslated))
    report = catalogues.split(messages, extra_french=given)
    for line in report.lines():
        print(line)
    catalogues.compile_all()
    print("compiled every catalogue")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
