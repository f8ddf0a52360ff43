from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.05319 → "5,32 %" in French, "5.32 %" in English; nothing for a missing value."""
    if value is None or value == "":
        return "—"
    return f"{number_format(float(value) * 100, int(digits))} %"
