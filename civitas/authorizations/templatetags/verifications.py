"""``{% verification_notice component "action" %}``: where an action's button would be,
a link to the page that tells which verifications are missing, shown only when they are
all that stands between the participant and the action."""

from django import template

from civitas.authorizations.gate import required_url
from civitas.authorizations.requirements import blocked_only_by_verifications, find_action

register = template.Library()


@register.inclusion_tag("authorizations/_notice.html", takes_context=True)
def verification_notice(context, component, action_name: str, anchor: str = ""):
    request = context.get("request")
    action = find_action(component, action_name) if request is not None else None
    missing = blocked_only_by_verifications(request.user, component, action) if action else []
    if not missing:
        return {"missing": []}
    back = request.get_full_path() + (f"#{anchor}" if anchor else "")
    url = required_url(component, action.name, back)
    return {"missing": missing, "action": action, "url": url}
