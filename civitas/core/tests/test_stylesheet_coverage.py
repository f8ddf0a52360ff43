"""Every class and every control a template uses reaches the stylesheet, and /favicon.ico answers.

Components style their own classes; the shared ones (buttons, alerts, badges, links) come
from ``civitas.css``: a template naming one the stylesheet lacks shows an unstyled control
(``.button-link`` was used while the stylesheet had ``.link-button``). Beyond the shared
prefixes, a class that no stylesheet defines and no script, htmx attribute or test uses
does nothing: it is a typo or a leftover. An ``<input>`` without ``type`` (or of a text-like
type the stylesheet does not list) is drawn with the browser's default look; the
browser walk of every page (``test_browser_every_page``) checks the rendered form widgets.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_PREFIXES = ("button", "alert", "badge", "link-")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _stylesheets() -> str:
    return " ".join(
        p.read_text(encoding="utf-8") for p in ROOT.rglob("static/**/*.css") if "vendor" not in p.parts
    )


def _defined_classes() -> set[str]:
    return set(re.findall(r"\.([A-Za-z_][\w-]*)", _stylesheets()))


def _templates() -> list[Path]:
    return sorted(ROOT.rglob("templates/**/*.html"))


def _classes_used(path: Path):
    for value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
        for name in TEMPLATE_CODE.sub(" ", value).split():
            if not name.endswith("-"):  # completed by a variable: `state-{{ state }}`
                yield name


def _hooks() -> str:
    """Where a class may serve without a style: scripts, htmx selectors, tests."""
    scripts = [p for p in ROOT.rglob("static/**/*.js") if "vendor" not in p.parts]
    tests = list(ROOT.rglob("tests/**/*.py"))
    htmx = [" ".join(re.findall(r'hx-[\w-]+="([^"]*)"', p.read_text(encoding="utf-8"))) for p in _templates()]
    return " ".join([*(p.read_text(encoding="utf-8") for p in scripts + tests), *htmx])


def test_every_shared_class_used_in_a_template_is_in_the_stylesheet():
    defined = _defined_classes()
    missing = set()
    for path in _templates():
        for name in _classes_used(path):
            if name.startswith(SHARED_PREFIXES) and name not in defined:
                missing.add(f"{name} ({path.relative_to(ROOT)})")
    assert not missing, "unstyled: " + ", ".join(sorted(missing))


def test_every_class_used_in_a_template_is_styled_or_hooked():
    defined = _defined_classes()
    hooks = _hooks()
    useless = set()
    for path in _templates():
        for name in _classes_used(path):
            if name not in defined and not re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", hooks):
                useless.add(f"{name} ({path.relative_to(ROOT)})")
    assert not useless, "classes no stylesheet, script or test uses: " + ", ".join(sorted(useless))


INPUT_TAG = re.compile(r"<input\b(?:[^>{]|\{\{.*?\}\}|\{%.*?%\})*>", re.S)
TYPE_ATTRIBUTE = re.compile(r'\btype="((?:[^"{]|\{\{.*?\}\}|\{%.*?%\})*)"')
# Types the browser draws as a box or a button of its own: the stylesheet needs no rule.
NON_TEXT_TYPES = {"hidden", "checkbox", "radio", "submit", "button", "reset", "image", "file", "range"}


def test_every_input_in_a_template_has_a_type_the_stylesheet_styles():
    styled = set(re.findall(r"input\[type=\"?([\w-]+)\"?\]", _stylesheets()))
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for match in INPUT_TAG.finditer(text):
            where = f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
            kind = TYPE_ATTRIBUTE.search(match.group())
            if not kind:
                offenders.append(f"{where} has no type")
                continue
            # A type chosen by the template (`{% if … %}radio{% else %}checkbox{% endif %}`):
            # every literal it can take must be drawn.
            for literal in TEMPLATE_CODE.split(kind.group(1)):
                if literal.strip() and literal.strip() not in NON_TEXT_TYPES | styled:
                    offenders.append(f"{where} type={literal.strip()} is not in the stylesheet")
    assert not offenders, "; ".join(offenders)


@pytest.mark.django_db
def test_favicon_is_served(client, org_a):
    response = client.get("/favicon.ico", HTTP_HOST=org_a.host)
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    home = client.get("/", HTTP_HOST=org_a.host).content.decode()
    assert 'rel="icon"' in home
