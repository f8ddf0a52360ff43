"""``{% picture %}`` and ``{% avatar %}``: images from their thumbnails, sized, lazy and described.

``{% picture proposal.image "card" alt=proposal.image_alt %}`` writes one ``<img>`` with
the shape's thumbnails in ``srcset``, ``sizes`` for the layout, its width and height (the
page does not jump when it arrives), ``loading="lazy"`` (unless ``lazy=False``, for an
image at the top of a page) and the stored text alternative; nothing when there is no
image. An empty alternative means the image is decorative (``alt=""``).

``{% avatar person %}`` shows a person's avatar beside their name: the picture when they
have one, their initial on the organization's colour otherwise, never a broken image.
The name next to it is its text, so the avatar itself is ``alt=""`` (see the README).
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from civitas.core.thumbnails import picture

register = template.Library()

# How wide each shape is laid out, so that a browser picks the thumbnail it needs.
SIZES = {
    "card": "(min-width: 40em) 22rem, 100vw",
    "banner": "(min-width: 75em) 72rem, 100vw",
    "avatar": "48px",
}


@register.simple_tag(name="picture")
def picture_tag(
    file,
    shape: str,
    *,
    alt: str = "",
    css_class: str = "",
    lazy: bool = True,
    sizes: str = "",
    origin: str = "",
):
    """``origin`` (``https://host``) serves the picture from another organization's site: a
    metropolis's portal showing a commune's space, whose media only that host answers for."""
    found = picture(file, shape)
    if found is None:
        return ""
    srcset = found.srcset
    if origin:
        srcset = ", ".join(origin + candidate for candidate in srcset.split(", "))
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}"{}{} decoding="async">',
        origin + found.src,
        srcset,
        sizes or SIZES[shape],
        str(found.width),
        str(found.height),
        alt or "",
        format_html(' class="{}"', css_class) if css_class else "",
        mark_safe(' loading="lazy"') if lazy else "",  # noqa: S308 - a constant
    )


def _initial(name: str) -> str:
    name = (name or "").strip()
    return name[:1].upper() or "?"


@register.simple_tag
def avatar(person, size: int = 48):
    """A person's avatar, ``size`` px square (48 beside a comment, 96 on a profile)."""
    size = int(size)
    # Like the avatar's file (see accounts.apps): not shown for a deleted or blocked account.
    shown = person is not None and person.is_active and not getattr(person, "is_deleted", False)
    if shown and getattr(person, "avatar", None):
        found = picture(person.avatar, "avatar")
        # With sizes, the browser takes the 96 px thumbnail for 48 px on a 2× screen.
        return format_html(
            '<img class="avatar avatar-{size}" src="{src}" srcset="{srcset}" sizes="{size}px" '
            'width="{size}" height="{size}" alt="" loading="lazy" decoding="async">',
            size=str(size),
            src=found.src,
            srcset=found.srcset,
        )
    name = person.public_name if person is not None else ""
    return format_html(
        '<span class="avatar avatar-{} avatar-placeholder" aria-hidden="true">{}</span>',
        str(size),
        _initial(name),
    )
