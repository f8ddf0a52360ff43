"""The component's French catalogue (kept beside it) is complete and compiled."""

from pathlib import Path

import polib

CATALOGUE = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_is_complete_and_compiled():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 50
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    compiled = {
        (entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    }
    for entry in catalogue.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"not compiled: {entry.msgid!r} (run make messages)"
