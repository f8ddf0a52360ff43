"""Every class of the shared design system used in a template is styled, and /favicon.ico answers.

Components style their own classes; the shared ones (buttons, alerts, badges, links) come
from ``civitas.css``: a template naming one the stylesheet lacks shows an unstyled control
(``.button-link`` was used while the stylesheet had ``.link-button``).
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_PREFIXES = ("button", "alert", "badge", "link-")
CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _defined_classes() -> set[str]:
    css = " ".join(
        p.read_text(encoding="utf-8") for p in ROOT.rglob("static/**/*.css") if "vendor" not in p.parts
    )
    return set(re.findall(r"\.([A-Za-z_][\w-]*)", css))


def test_every_shared_class_used_in_a_template_is_in_the_stylesheet():
    defined = _defined_classes()
    missing = set()
    for path in ROOT.rglob("templates/**/*.html"):
        for value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            for name in TEMPLATE_CODE.sub(" ", value).split():
                if name.startswith(SHARED_PREFIXES) and not name.endswith("-") and name not in defined:
                    missing.add(f"{name} ({path.relative_to(ROOT)})")
    assert not missing, "unstyled: " + ", ".join(sorted(missing))


@pytest.mark.django_db
def test_favicon_is_served(client, org_a):
    response = client.get("/favicon.ico", HTTP_HOST=org_a.host)
    assert response.status_code == 301
    assert response["Location"].endswith(".ico")
    home = client.get("/", HTTP_HOST=org_a.host).content.decode()
    assert 'rel="icon"' in home
