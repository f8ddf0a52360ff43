"""Text that ``{% translate %}`` or ``blocktranslate`` puts in an HTML page is not escaped.

Any ``<`` in it is read as markup: an example such as ``Maître Durand <durand@h.example>``
in a help text vanishes from the page as an unknown tag. Such examples go outside the
message, in a ``{% blocktranslate with %}`` variable written with ``&lt;`` (a template's
string literal is not escaped either); a translated string may hold only the inline tags
below.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')"""
    r"|\{%\s*(?:blocktranslate|blocktrans)\b[^%]*%\}(.*?)\{%\s*(?:endblocktranslate|endblocktrans|plural)",
    re.DOTALL,
)
TAG = re.compile(r"</?([A-Za-z][\w-]*)")
INLINE_TAGS = {"a", "abbr", "b", "br", "code", "em", "i", "kbd", "span", "strong"}


def test_translated_strings_in_html_hold_only_inline_markup():
    offenders = []
    for path in ROOT.rglob("templates/**/*.html"):
        for match in TRANSLATED.finditer(path.read_text(encoding="utf-8")):
            text = match.group(1) or match.group(2) or match.group(3) or ""
            for at in (index for index, char in enumerate(text) if char == "<"):
                tag = TAG.match(text, at)
                if tag is None or tag.group(1).lower() not in INLINE_TAGS:
                    offenders.append(f"{path.relative_to(ROOT)}: {text[:80]!r}")
                    break
    assert not offenders, "\n".join(offenders)
