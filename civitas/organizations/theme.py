"""Organization colours turned into CSS that stays readable whatever colour an admin picks.

A brand colour plays two parts. As a background (the header, filled buttons) it gets black
or white text, whichever contrasts more: one of them always reaches 4.5:1. As ink on the
white page (links, outlined buttons, chart bars) it must itself reach 4.5:1 against the
page's light backgrounds, which a light colour such as #f2c94c (1.6:1) never does: the
theme then uses the darkest-needed shade of the same hue, ``--brand-ink``, and the
settings page tells the admin which shade their visitors will see.
"""

from __future__ import annotations

from dataclasses import dataclass

WCAG_TEXT = 4.5
# The light backgrounds brand ink sits on: the page, the surface panels, the info alerts.
LIGHT_BACKGROUNDS = ("#ffffff", "#f5f6f8", "#e8f0fb")


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.03928 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """Black or white, whichever contrasts more with the background (WCAG 2.1)."""
    return (
        "#000000"
        if contrast_ratio(background, "#000000") >= contrast_ratio(background, "#ffffff")
        else "#ffffff"
    )


def _scaled(hex_colour: str, factor: float) -> str:
    channels = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(value * factor):02x}" for value in channels)


def _readable_on_light(colour: str) -> bool:
    return all(contrast_ratio(colour, background) >= WCAG_TEXT for background in LIGHT_BACKGROUNDS)


def ink(colour: str) -> str:
    """``colour`` itself when it reads on the light backgrounds, else its lightest darker shade that does.

    Scaling every channel keeps the hue; the search ends at black at worst, which reads.
    """
    colour = colour.lower()
    if _readable_on_light(colour):
        return colour
    low, high = 0.0, 1.0  # factor 0 (black) reads, 1 (the colour) does not
    for _ in range(20):
        middle = (low + high) / 2
        if _readable_on_light(_scaled(colour, middle)):
            low = middle
        else:
            high = middle
    return _scaled(colour, low)


@dataclass(frozen=True)
class ColourUse:
    chosen: str
    ink: str
    text_on_it: str

    @property
    def adjusted(self) -> bool:
        return self.ink != self.chosen.lower()

    @property
    def chosen_contrast(self) -> float:
        return round(contrast_ratio(self.chosen, "#ffffff"), 2)

    @property
    def ink_contrast(self) -> float:
        return round(contrast_ratio(self.ink, "#ffffff"), 2)


def colour_use(colour: str) -> ColourUse:
    return ColourUse(chosen=colour, ink=ink(colour), text_on_it=readable_text_on(colour))


def theme_css(primary: str, secondary: str) -> str:
    brand, accent = colour_use(primary), colour_use(secondary)
    return (
        ":root{"
        f"--brand:{primary};--brand-text:{brand.text_on_it};--brand-ink:{brand.ink};"
        f"--accent:{secondary};--accent-text:{accent.text_on_it};--accent-ink:{accent.ink};"
        "}\n"
    )
