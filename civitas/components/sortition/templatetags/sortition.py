import shlex

from django import template
from django.utils.formats import number_format

from civitas.sortition.draw import rule_draw_at

register = template.Library()


@register.filter
def percent(value, digits=2):
    """0.05319 → "5,32 %" in French, "5.32 %" in English; nothing for a missing value."""
    if value is None or value == "":
        return "—"
    # Round first: number_format truncates, which would show 0.4999999 as "49.99 %".
    return f"{number_format(round(float(value) * 100, int(digits)), int(digits))} %"


@register.filter
def shell_args(values) -> str:
    """A seed, or the revealed secrets, as arguments to paste into a shell (quoted as needed)."""
    if isinstance(values, str):
        values = [values]
    return " ".join(shlex.quote(value) for value in values)


@register.inclusion_tag("sortition/_seed_rule.html")
def seed_rule(rule: dict, reveals=()):
    """Where the seed comes from, as the published file states it, with the secrets once revealed."""
    contributors = [
        {**contributor, "reveal": reveals[index] if index < len(reveals) else ""}
        for index, contributor in enumerate(rule.get("contributors", []))
    ]
    return {"rule": rule, "known_at": rule_draw_at(rule), "contributors": contributors}
