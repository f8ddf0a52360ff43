"""Rich text written by people, made safe to store and render.

nh3 (a binding of the ammonia sanitizer) keeps a small set of formatting tags and drops
everything that can run code: scripts, event handlers, ``javascript:`` and ``data:`` URLs.
Plain text without tags is turned into paragraphs so a textarea works as expected.
"""

import html
import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan", "rowspan"}}
URL_SCHEMES = {"http", "https", "mailto"}
USER_LINK_REL = "nofollow noopener noreferrer ugc"
_BLOCK_TAG = re.compile(r"<(p|ul|ol|h[1-6]|table|blockquote|pre|div)\b", re.IGNORECASE)


def _paragraphs(text: str) -> str:
    """Blank lines make paragraphs, single line breaks stay; nh3 escapes the rest afterwards."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join("<p>" + block.replace("\n", "<br>") + "</p>" for block in blocks)


def sanitize_html(value: str) -> str:
    if not value or not value.strip():
        return ""
    source = value if _BLOCK_TAG.search(value) else _paragraphs(value)
    return nh3.clean(
        source,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=USER_LINK_REL,
        strip_comments=True,
    ).strip()


def plain_text(value: str) -> str:
    """The text of sanitized HTML, for search, exports and previews."""
    spaced = (value or "").replace("<", " <")
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
