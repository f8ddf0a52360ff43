"""Rich text written by people, made safe to store and render.

nh3 (a binding of the ammonia sanitizer) keeps a small set of formatting tags and drops
everything that can run code: scripts, event handlers, ``javascript:`` and ``data:`` URLs.
Plain text without tags is turned into paragraphs so a textarea works as expected.

What the rich-text editor (``civitas.editor``) can produce is exactly what is kept here:
paragraphs, headings (the editor's "Title" is an ``<h2>``), bold, italic, strikethrough,
links, lists, quotes, code blocks, and pictures. A picture survives only when it is one of
ours: ``/media/editor/<32 hex digits>.png|jpg``, the names the editor's upload gives to
re-encoded images (served by ``civitas.core.media`` only on the owner organization's host).
Anything else pasted in (Word's ``mso-`` styles, classes, ``<o:p>``, ``<font>``, spans)
loses its tags and attributes and keeps its text.
"""

import html
import re
from collections.abc import Callable

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
    "figure",
    "figcaption",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope"},
    "td": {"colspan", "rowspan"},
    "img": {"src", "alt", "width", "height"},
}
URL_SCHEMES = {"http", "https", "mailto"}
USER_LINK_REL = "nofollow noopener noreferrer ugc"
_BLOCK_TAG = re.compile(r"<(p|ul|ol|h[1-6]|table|blockquote|pre|div|figure)\b", re.IGNORECASE)
# Editors (and Word) write paragraphs as <div>: they stay paragraphs rather than run together.
_DIV = re.compile(r"<(/?)div\b", re.IGNORECASE)
# Where the editor's pictures are stored (``upload_to`` of civitas.editor's model) and the
# only image sources kept: the media URL (a test checks it is MEDIA_URL) of such a name.
EDITOR_IMAGE_FOLDER = "editor"
EDITOR_IMAGE_SRC = re.compile(r"/media/editor/[0-9a-f]{32}\.(?:png|jpg)")
_IMAGE_SIZE = re.compile(r"[0-9]{1,4}")
# nh3 writes attribute values between double quotes with "&" and '"' escaped; "<" and ">" are
# taken out of alt texts below, so a serialized <img> tag ends at its first ">".
_IMAGE_WITHOUT_SOURCE = re.compile(r"<img(?![^>]* src=\")[^>]*>")
# A picture without a text alternative gets an empty one: its caption, if any, describes it.
_IMAGE_WITHOUT_ALT = re.compile(r"<img(?![^>]* alt=\")")
# What a paste from a word processor leaves once its styles and unknown tags are gone:
# empty paragraphs, captions and figures (a figure whose picture was foreign) that a
# page would show as gaps.
_LEFT_EMPTY = re.compile(r"<(p|figcaption|figure)>(?:\s|&nbsp;|<br>)*</\1>")


def _paragraphs(text: str) -> str:
    """Blank lines make paragraphs, single line breaks stay; nh3 escapes the rest afterwards."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join("<p>" + block.replace("\n", "<br>") + "</p>" for block in blocks)


def _image_attribute(attribute: str, value: str) -> str | None:
    if attribute == "src":
        return value if EDITOR_IMAGE_SRC.fullmatch(value) else None
    if attribute in ("width", "height"):
        return value if _IMAGE_SIZE.fullmatch(value) else None
    return value.replace("<", "").replace(">", "")  # alt


def clean_html(html: str, link_filter: Callable[[str], str | None] | None = None) -> str:
    """Run nh3 with our allow-lists over html; link_filter, when given, rewrites each href.

    Pictures keep their attributes only when their source is an editor image of ours, and
    a picture left without a source is dropped.
    """

    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        if element == "img":
            return _image_attribute(attribute, value)
        if link_filter is not None and element == "a" and attribute == "href":
            try:
                return link_filter(value)
            except Exception:  # a link we cannot read is a link we drop, never a page error
                return None
        return value

    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=USER_LINK_REL,
        strip_comments=True,
        attribute_filter=attribute_filter,
    )
    cleaned = _IMAGE_WITHOUT_ALT.sub('<img alt=""', _IMAGE_WITHOUT_SOURCE.sub("", cleaned))
    previous = None
    while previous != cleaned:  # a figure empties once its caption is gone
        previous, cleaned = cleaned, _LEFT_EMPTY.sub("", cleaned)
    return cleaned


def sanitize_html(value: str) -> str:
    if not value or not value.strip():
        return ""
    source = _DIV.sub(r"<\1p", value) if _BLOCK_TAG.search(value) else _paragraphs(value)
    return clean_html(source).strip()


def plain_text(value: str) -> str:
    """The text of sanitized HTML, for search, exports and previews."""
    spaced = (value or "").replace("<", " <")
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())
