"""Template filters that render what participants wrote.

``{{ proposal.body|user_html:organization }}`` sanitizes stored HTML *again* at render
time (defence in depth: a row written before a sanitizer fix, or by a migration or a
shell, must not become a script) and sends external links through the warning page.
``{{ profile.personal_url|outbound:organization }}`` does the same for one URL.
"""

from django import template
from django.utils.safestring import mark_safe

from civitas.core.links import outbound_url, sanitize_user_html

register = template.Library()


@register.filter
def user_html(value, organization):
    return mark_safe(sanitize_user_html(str(value or ""), organization))  # sanitized and rewritten just above


@register.filter
def outbound(value, organization) -> str:
    """The URL a link to value should use, or "" when value is not an http(s) URL."""
    return outbound_url(str(value or ""), organization)
