import base64

from django import template
from django.utils.text import slugify

register = template.Library()


@register.filter(name="base64")
def to_base64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@register.filter
def key_file_name(handed) -> str:
    return f"cle-depositaire-{handed.index}-{slugify(handed.name) or 'civitas'}.txt"


@register.filter
def grouped(value: str, size: int = 4) -> str:
    """A fingerprint or seal in groups of ``size`` characters, easy to compare by eye."""
    value = value or ""
    return " ".join(value[i : i + size] for i in range(0, len(value), size))
