"""A newsletter as the mail client shows it: HTML and plain text, and its unsubscribe link.

Rendered once per language and batch with a placeholder where each person's unsubscribe
address goes, so a batch of a thousand renders its template once, not a thousand times.
"""

import html
import re
from dataclasses import dataclass

import nh3
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from civitas.core.mail import render_text
from civitas.organizations.links import absolute_url, base_url

UNSUBSCRIBE_SALT = "civitas.newsletters.unsubscribe"
PLACEHOLDER = "@@civitas-unsubscribe-url@@"

_BREAK_BEFORE = re.compile(r"<(p|h2|h3|h4|ul|ol|blockquote|pre|table|figure|hr|tr)\b[^>]*>", re.IGNORECASE)
_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_LINE = re.compile(r"<br\s*/?>|</(tr|figcaption)>", re.IGNORECASE)
_LINK = re.compile(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_RELATIVE = re.compile(r'(\s(?:href|src)=")/(?!/)')


def unsubscribe_token(user) -> str:
    """Signed for one person of one organization: no login needed, and useless elsewhere."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk, "o": user.organization_id})


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """(user id, organization id), or None for a token that is not ours, altered or malformed."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("u"), int)
        or not isinstance(value.get("o"), int)
    ):
        return None
    return value["u"], value["o"]


def unsubscribe_url(user) -> str:
    return absolute_url(user.organization, reverse("newsletters:unsubscribe", args=[unsubscribe_token(user)]))


def absolute_links(organization, body: str) -> str:
    """Links and pictures of the organization's own pages, absolute: a mail client has no host."""
    return _RELATIVE.sub(lambda match: f"{match.group(1)}{base_url(organization)}/", body)


def text_version(body: str) -> str:
    """Readable plain text of sanitized HTML: paragraphs apart, list items dashed, links spelt out."""
    text = _LINK.sub(
        lambda match: (
            match.group(2)
            if nh3.clean(match.group(2), tags=set()).strip() == html.unescape(match.group(1))
            else f"{match.group(2)} ({match.group(1)})"
        ),
        body,
    )
    text = _BREAK_BEFORE.sub("\n\n", text)
    text = _ITEM.sub("\n- ", text)
    text = _LINE.sub("\n", text)
    text = html.unescape(nh3.clean(text, tags=set()))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


@dataclass(frozen=True)
class RenderedNewsletter:
    subject: str
    html: str
    text: str
    content: str  # the HTML version's own part, without the document around it (for previews)

    def for_person(self, url: str) -> tuple[str, str]:
        return self.html.replace(PLACEHOLDER, html.escape(url)), self.text.replace(PLACEHOLDER, url)

    def content_for(self, url: str) -> str:
        return self.content.replace(PLACEHOLDER, html.escape(url))


def render_newsletter(
    newsletter, locale: str | None, *, unsubscribe: str = PLACEHOLDER
) -> RenderedNewsletter:
    organization = newsletter.organization
    body = absolute_links(organization, newsletter.body)
    context = {
        "organization": organization,
        "newsletter": newsletter,
        "body": body,
        "body_text": text_version(body),
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute_url(organization, reverse("newsletters:preferences")),
    }
    with translation.override(locale or organization.default_locale or "fr"):
        return RenderedNewsletter(
            subject=" ".join(newsletter.subject.split()),
            html=render_to_string("newsletters/email/newsletter.html", context),
            text=render_text("newsletters/email/newsletter.txt", context),
            content=render_to_string("newsletters/email/_content.html", context),
        )
