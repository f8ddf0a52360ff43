"""``{% reason_or_login reason %}``: why an action is unavailable, a log-in link when logging in helps.

Services say why someone cannot vote, answer or volunteer with a sentence such as
"Log in to vote."; shown to a visitor, that sentence should take them to the log-in
page and bring them back here afterwards. Services return plain (translated) text, so
the sentences that ask for a log-in are recognised by their msgid in the active language.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

register = template.Library()

# The reasons of the services (majority judgment, budgets, surveys, sortition, comments)
# that a visitor answers by logging in. They are translated by the catalogues that hold them.
LOGIN_REASONS = (
    "Log in to vote.",
    "Log in to answer.",
    "Log in to volunteer.",
    "Log in to take part in the conversation.",
)


def login_url(request) -> str:
    """The log-in page, coming back to the page of request afterwards."""
    return f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}"


@register.simple_tag(takes_context=True)
def reason_or_login(context, reason):
    request = context.get("request")
    if not reason or request is None or request.user.is_authenticated:
        return reason or ""
    if str(reason) not in {gettext(message) for message in LOGIN_REASONS}:
        return reason  # closed, not open yet…: logging in would change nothing
    return format_html('<a href="{}">{}</a>', login_url(request), reason)
