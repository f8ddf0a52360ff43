"""Numbers people read are localized: "0,70" in French, never "0.70" beside "0,7".

The converse of ``test_unlocalized_numbers``: in a template's text (outside a tag's
attributes and outside ``{% localize off %}``), a number must not be formatted with
``stringformat`` (Python's ``%``-formatting knows no locale); ``floatformat`` localizes.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NUMERIC_STRINGFORMAT = re.compile(r"""\|stringformat:["'][^"']*[dfeEgGi%]["']""")


def _in_a_tag(text: str, position: int) -> bool:
    return text.rfind("<", 0, position) > text.rfind(">", 0, position)


def _unlocalized(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("{% localize off %}") > before.rfind("{% endlocalize %}")


def test_numbers_in_text_are_formatted_by_the_locale():
    offenders = []
    for path in sorted(ROOT.rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        for match in NUMERIC_STRINGFORMAT.finditer(text):
            if not _in_a_tag(text, match.start()) and not _unlocalized(text, match.start()):
                offenders.append(f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}")
    assert not offenders, "use floatformat (localized) here: " + ", ".join(offenders)
