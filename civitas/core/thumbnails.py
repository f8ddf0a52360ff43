"""Thumbnails of uploaded images: made once, when the image is saved, in the sizes pages use.

Each image field says which *shapes* it is shown in (``register_media(…, thumbnails=…)``):
a card in a list, a banner across a page, an avatar beside a name. Each shape comes in
two widths, for ordinary and high-density screens, cropped to one ratio, so a page knows
every thumbnail's width and height without opening a file (no layout shift, no query).

django-imagekit makes them: its source groups catch the save of a new image and its
"optimistic" strategy writes every thumbnail then, so showing a page never resizes
anything and never checks the storage. Thumbnails are cut from the stored image, which
``ReencodedImageField`` has already stripped of metadata, and written afresh as WebP.

A thumbnail's name is its image's name with the size after it
(``thumbnails/proposals/3f2a….png.card-640.webp``), so ``civitas.core.media`` serves it
under exactly the rule of the image it was cut from, and deleting the image deletes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.files.storage import default_storage
from imagekit import ImageSpec, register
from imagekit.cachefiles.strategies import Optimistic
from imagekit.specs.sourcegroups import ImageFieldSourceGroup
from pilkit.processors import ResizeToFill

FOLDER = "thumbnails"
FORMAT = "WEBP"
EXTENSION = ".webp"
QUALITY = 82


@dataclass(frozen=True)
class Shape:
    """How an image is shown: a ratio and the widths it is cut at (smallest first)."""

    name: str
    ratio: tuple[int, int]
    widths: tuple[int, ...]

    def height(self, width: int) -> int:
        return round(width * self.ratio[1] / self.ratio[0])

    def aliases(self) -> list[str]:
        return [f"{self.name}-{width}" for width in self.widths]


SHAPES = {
    shape.name: shape
    for shape in (
        # A card in a list: about 300 px wide on a phone and in a desktop grid.
        Shape("card", (16, 9), (320, 640)),
        # A banner across the top of a page, up to the widest desktop screens.
        Shape("banner", (16, 5), (1280, 1920)),
        # An avatar beside a name: 48 px shown, 96 for high-density screens.
        Shape("avatar", (1, 1), (48, 96)),
    )
}

# Any stored name may have thumbnails (those kept from before random names too): the
# media check then looks that exact name up, as for the image itself.
THUMBNAIL_NAME = re.compile(rf"{FOLDER}/(?P<source>.+)\.(?P<alias>[a-z]+-[0-9]+){re.escape(EXTENSION)}")

# "app_label.model.field" → the shapes that field's images are cut in.
_shapes: dict[str, tuple[Shape, ...]] = {}


def thumbnail_name(source: str, alias: str) -> str:
    return f"{FOLDER}/{source}.{alias}{EXTENSION}"


def parse_thumbnail_name(name: str) -> tuple[str, str] | None:
    """(the image's name, the alias) for a thumbnail's name; None for any other name."""
    match = THUMBNAIL_NAME.fullmatch(name)
    return (match["source"], match["alias"]) if match else None


def shapes_of(model, field: str) -> tuple[Shape, ...]:
    return _shapes.get(f"{model._meta.label_lower}.{field}", ())


def aliases_of(model, field: str) -> set[str]:
    return {alias for shape in shapes_of(model, field) for alias in shape.aliases()}


class _Thumbnail(ImageSpec):
    format = FORMAT
    options = {"quality": QUALITY}
    cachefile_strategy = Optimistic()
    alias = ""
    size = (0, 0)

    @property
    def processors(self):
        return [ResizeToFill(*self.size)]

    @property
    def cachefile_name(self):
        # No name for no image: `manage.py generateimages` then skips the row.
        return thumbnail_name(self.source.name, self.alias) if self.source else ""


def register_thumbnails(model, field: str, shape_names: tuple[str, ...]) -> None:
    """Cut every new image of ``model.field`` in these shapes when it is saved."""
    shapes = tuple(SHAPES[name] for name in shape_names)
    key = f"{model._meta.label_lower}.{field}"
    if key in _shapes:
        return
    _shapes[key] = shapes
    group = ImageFieldSourceGroup(model, field)
    for shape in shapes:
        for width, alias in zip(shape.widths, shape.aliases(), strict=True):
            spec_id = f"civitas:{key}:{alias}"
            spec = type(
                f"Thumbnail_{alias.replace('-', '_')}",
                (_Thumbnail,),
                {"alias": alias, "size": (width, shape.height(width))},
            )
            register.generator(spec_id, spec)
            register.source_group(spec_id, group)


def delete_thumbnails(model, field: str, source: str) -> None:
    for alias in aliases_of(model, field):
        default_storage.delete(thumbnail_name(source, alias))


@dataclass(frozen=True)
class Picture:
    """What an ``<img>`` needs to show an image in one shape: src, srcset, width, height."""

    src: str
    srcset: str
    width: int
    height: int


def picture(file, shape_name: str) -> Picture | None:
    """The thumbnails of a stored image in one shape, or None when there is no image.

    Builds URLs from names alone: no storage or database access.
    """
    if not file or not getattr(file, "name", ""):
        return None
    shape = SHAPES[shape_name]
    registered = shapes_of(type(file.instance), file.field.name)
    if shape not in registered:
        raise ValueError(f"{file.field} has no {shape_name} thumbnails")
    urls = [
        (default_storage.url(thumbnail_name(file.name, alias)), width)
        for alias, width in zip(shape.aliases(), shape.widths, strict=True)
    ]
    width = shape.widths[0]
    return Picture(
        src=urls[0][0],
        srcset=", ".join(f"{url} {w}w" for url, w in urls),
        width=width,
        height=shape.height(width),
    )
