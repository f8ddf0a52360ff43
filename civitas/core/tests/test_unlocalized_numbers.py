"""Numbers written into SVG and style attributes are never localised (``48,0`` draws nothing).

Guards the whole kind: every template of the project is read, and every ``<svg>`` element,
``style`` attribute or ``<progress>``/``<meter>`` number that takes a template variable
must sit inside ``{% localize off %}`` (or go through ``|unlocalize``). Pages are also
rendered in French to check the output itself.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"\{\{.*?\}\}", re.S)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)
STYLE = re.compile(r'style="[^"]*\{\{[^"]*"')
# A gauge's numbers: "0,5" is no valid value, and the bar shows empty.
GAUGE_NUMBER = re.compile(
    r'<(?:progress|meter)\b[^>]*?\b(?:value|max|min|low|high|optimum)="(\{\{[^"]*\}\})"'
)


def _templates():
    return sorted(path for path in ROOT.rglob("templates/**/*.html"))


def _unlocalized(text: str, position: int) -> bool:
    before = text[:position]
    return before.rfind("{% localize off %}") > before.rfind("{% endlocalize %}")


def test_every_svg_and_style_with_a_variable_is_unlocalized():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        pieces = [m for m in SVG.finditer(text) if VARIABLE.search(m.group())]
        pieces += list(STYLE.finditer(text))
        pieces += [m for m in GAUGE_NUMBER.finditer(text) if "|unlocalize" not in m.group(1)]
        for match in pieces:
            if not _unlocalized(text, match.start()):
                line = text[: match.start()].count("\n") + 1
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert not offenders, "numbers would be localised here: " + ", ".join(offenders)


NUMERIC_ATTRIBUTE = re.compile(r'\b(?:x|y|x1|x2|y1|y2|width|height|cx|cy|r|viewBox|d|points)="([^"]*)"')


@pytest.mark.django_db
def test_the_statistics_chart_in_french_has_no_decimal_comma(client, org_a, admin_a):
    from civitas.testing.factories import UserFactory

    UserFactory(organization=org_a)
    client.cookies["django_language"] = "fr"
    page = client.get("/stats/", HTTP_HOST=org_a.host).content.decode()
    assert 'aria-labelledby="contributions-title' in page  # the chart, not only the header's icons
    for svg in SVG.findall(page):
        for value in NUMERIC_ATTRIBUTE.findall(svg):
            assert not re.search(r"\d,\d", value), value
