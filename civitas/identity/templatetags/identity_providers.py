from django import template

from civitas.identity.csp import allow_providers
from civitas.identity.services import enabled_providers

register = template.Library()


@register.inclusion_tag("identity/login_buttons.html", takes_context=True)
def identity_login_buttons(context, next_url=""):
    request = context["request"]
    organization = getattr(request, "organization", None)
    providers = list(enabled_providers(organization)) if organization is not None else []
    allow_providers(request, providers)
    return {
        "providers": providers,
        "next": next_url,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
