from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.05319 → "5,32 %" in French, "5.32 %" in English; nothing for a missing value."""
    if value is None or value == "":
        return "—"
    # Round first: number_format truncates, which would show 0.4999999 as "49.99 %".
    return f"{number_format(round(float(value) * 100, int(digits)), int(digits))} %"
