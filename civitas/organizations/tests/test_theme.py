"""Brand colours never make text unreadable: every colour an admin may pick, every CSS use."""

import random
import re
from pathlib import Path

import pytest

from civitas.organizations.theme import (
    LIGHT_BACKGROUNDS,
    WCAG_TEXT,
    colour_use,
    contrast_ratio,
    theme_css,
)

STYLESHEETS = sorted(Path(__file__).resolve().parents[2].glob("**/static/**/*.css"))
# The light (#f2c94c, the yellow that read at 1.58:1), dark, saturated, extreme and grey picks,
# then random ones: every 24-bit colour is a possible pick.
PICKS = ["#f2c94c", "#1d4f91", "#ff0000", "#00ff00", "#0000ff", "#ffffff", "#000000", "#777777", "#e8a33d"]
PICKS += ["#" + f"{random.Random(seed).randrange(1 << 24):06x}" for seed in range(400)]


def test_every_pick_gives_readable_ink_and_readable_text_on_it():
    for colour in PICKS:
        use = colour_use(colour)
        assert all(contrast_ratio(use.ink, background) >= WCAG_TEXT for background in LIGHT_BACKGROUNDS), (
            colour
        )
        assert contrast_ratio(use.text_on_it, colour) >= WCAG_TEXT, colour
        # The ink keeps the colour when it already reads, and is never darker than needed.
        if all(contrast_ratio(colour, background) >= WCAG_TEXT for background in LIGHT_BACKGROUNDS):
            assert use.ink == colour.lower() and not use.adjusted, colour
        else:
            assert use.adjusted and contrast_ratio(use.ink, "#ffffff") < WCAG_TEXT + 0.8, colour


def test_the_theme_sheet_carries_the_ink():
    css = theme_css("#f2c94c", "#1d4f91")
    assert "--brand:#f2c94c" in css and "--brand-text:#000000" in css
    assert f"--brand-ink:{colour_use('#f2c94c').ink}" in css and "--accent-ink:#1d4f91" in css


def _rules(css: str):
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        yield selector.strip(), body


@pytest.mark.parametrize("sheet", STYLESHEETS, ids=lambda path: path.name)
def test_brand_colours_are_text_only_on_their_own_text_colour(sheet):
    """A rule that writes text in --brand or --accent must paint its own background with
    --brand-text / --accent-text (on which the colour reads); on the page, text uses the ink."""
    problems = []
    for selector, body in _rules(sheet.read_text(encoding="utf-8")):
        for name in ("brand", "accent"):
            if re.search(rf"(?<![-\w])color:\s*var\(--{name}\)", body) and f"var(--{name}-text)" not in body:
                problems.append(f"{selector}: text in --{name} on an unknown background; use --{name}-ink")
            if re.search(rf"fill:\s*var\(--{name}\)", body):
                problems.append(f"{selector}: a chart drawn in --{name}; use --{name}-ink")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_settings_page_says_which_shade_visitors_see(client_a, admin_a, org_a):
    org_a.primary_colour = "#f2c94c"
    org_a.save()
    client_a.force_login(admin_a)
    page = client_a.get("/admin/settings/").content.decode()
    ink = colour_use("#f2c94c").ink
    assert "#f2c94c" in page and ink in page and ("1,59:1" in page or "1.59:1" in page)
