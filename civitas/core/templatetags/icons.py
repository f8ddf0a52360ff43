"""``{% icon "bell" %}``: one of the vendored Lucide icons, inline, drawn in the text's colour.

Inline rather than ``<img>``: the icon takes ``currentColor`` (the brand's header colour,
a link's colour) and costs no request. Icons are decoration next to a text, visible or
visually hidden, that names the action: they are hidden from assistive technologies.
"""

from functools import cache
from pathlib import Path

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

ICONS = Path(__file__).resolve().parent.parent / "icons"


@cache
def _svg(name: str) -> str:
    path = ICONS / f"{name}.svg"
    if path.parent != ICONS or not path.is_file():
        raise template.TemplateSyntaxError(f"no icon named {name!r} in {ICONS}")
    text = path.read_text()
    body = text[text.index(">", text.index("<svg")) + 1 : text.rindex("</svg>")]
    return (
        '<svg class="icon" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        f'aria-hidden="true" focusable="false">{" ".join(body.split())}</svg>'
    )


@register.simple_tag
def icon(name: str) -> str:
    return mark_safe(_svg(name))  # noqa: S308 - our own vendored files, read from disk
