"""Uploaded images (logos, avatars, pictures): checked, then stored as a fresh encoding.

``validate_uploaded_image`` reads the header without decoding the pixels, so a
decompression bomb is refused before it can use memory. ``reencode_image`` then decodes
the pixels and writes a new PNG or JPEG: whatever the upload carried besides the picture
(a PDF or HTML appended to a GIF, EXIF with a GPS position, comments) is not in the
stored file, which is therefore safe to serve inline from the organization's origin.
"""

import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 2 * 1024 * 1024
MAX_IMAGE_SIDE = 4000
ALLOWED_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def validate_uploaded_image(uploaded) -> None:
    if uploaded is None:
        return
    if uploaded.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is too large (%(size)s); the maximum is %(max)s.")
            % {"size": filesizeformat(uploaded.size), "max": filesizeformat(MAX_IMAGE_BYTES)}
        )
    position = uploaded.tell() if hasattr(uploaded, "tell") else 0
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image_format, (width, height) = image.format, image.size
            if image_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Use a PNG, JPEG, GIF or WebP image."))
            if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE:
                raise ValidationError(
                    _("The image is %(width)s×%(height)s pixels; the maximum is %(max)s×%(max)s.")
                    % {"width": width, "height": height, "max": MAX_IMAGE_SIDE}
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a valid image.")) from error
    finally:
        uploaded.seek(position)


# Modes PNG stores as they are; anything else (CMYK, YCbCr, 32-bit…) becomes RGBA.
PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


def reencode_image(uploaded) -> tuple[bytes, str]:
    """The picture of an uploaded image, encoded afresh; returns (bytes, extension).

    Photographs stay JPEG, everything else (PNG, GIF, WebP) becomes PNG. Only the first
    frame of an animation is kept. The upload must have passed ``validate_uploaded_image``.
    """
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as opened:
            source_format = opened.format
            if source_format not in ALLOWED_FORMATS:
                raise ValidationError(_("Use a PNG, JPEG, GIF or WebP image."))
            # Applies the EXIF orientation to the pixels, since the EXIF block is dropped.
            image = ImageOps.exif_transpose(opened)
            # Pillow writes some metadata it read back out (a JPEG comment, an ICC
            # profile), and a comment can carry a PDF: keep only what the pixels need.
            image.info = {key: value for key, value in image.info.items() if key == "transparency"}
            output = io.BytesIO()
            if source_format == "JPEG":
                if image.mode not in ("L", "RGB"):
                    image = image.convert("RGB")
                image.save(output, format="JPEG", quality=90)
                extension = ".jpg"
            else:
                if image.mode not in PNG_MODES:
                    image = image.convert("RGBA")
                image.save(output, format="PNG")
                extension = ".png"
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file is not a valid image.")) from error
    finally:
        uploaded.seek(0)
    return output.getvalue(), extension
