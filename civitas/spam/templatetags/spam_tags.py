from django import template

from civitas.spam import scoring

register = template.Library()


@register.inclusion_tag("spam/model_warning.html")
def spam_model_warning(organization):
    """A warning for admins when the spam model cannot be used: nothing is scored until it is fixed."""
    status = scoring.model_status(organization)
    return {"status": status}
