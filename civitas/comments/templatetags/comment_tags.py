from django import template
from django.utils.safestring import mark_safe

from civitas.comments.services import link_mentions
from civitas.comments.threads import build_thread
from civitas.core.links import sanitize_user_html

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, resource):
    """The page of comments of ``resource`` the reader asked for, or None if they may not see it."""
    request = context.get("request")
    if request is None or resource is None:
        return None
    return build_thread(request, resource)


@register.filter
def comment_body(body, organization):
    """A comment as shown: sanitized again, outside links through the warning page, @mentions
    of members linked to their profiles (see ``civitas_safety.user_html``)."""
    return mark_safe(link_mentions(sanitize_user_html(str(body or ""), organization), organization))  # noqa: S308 (sanitized just here)
