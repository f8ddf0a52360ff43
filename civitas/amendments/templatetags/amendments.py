from django import template
from django.urls import reverse

from civitas.amendments import registry
from civitas.amendments.queries import (
    is_decider,
    may_see_amendment,
    phase_allows,
    promoted_from,
    visible_amendments,
)

register = template.Library()


@register.inclusion_tag("amendments/_section.html", takes_context=True)
def amendments_section(context, target):
    """The target's amendments this reader may see, with their state, and the way to amend it.

    A constant number of queries whatever the number of amendments: the list with its
    amenders, and the amendment this target was born of, if any.
    """
    user = context["request"].user
    entry = registry.for_model(target)
    component = entry.component_of(target)
    origin = promoted_from(target)
    if origin is not None and not may_see_amendment(user, origin):
        origin = None
    amendments = list(visible_amendments(target, user, entry)) if entry else []
    for amendment in amendments:
        amendment.component = component
    opens = phase_allows(component, entry.permissions.amend) and entry.is_open(target)
    return {
        "request": context["request"],
        "user": user,
        "target": target,
        "amendments": amendments,
        "origin": origin,
        "origin_target": origin.target if origin is not None else None,
        "can_amend": opens
        and user.is_authenticated
        and not is_decider(user, entry, target)
        and user.has_perm(entry.permissions.amend, component),
        "amend_url": reverse("amendments:new", args=[entry.key, target.pk]),
        "login_to_amend": opens and not user.is_authenticated,
        "participants_only": entry.visibility_of(component) == registry.VISIBILITY_PARTICIPANTS,
    }
