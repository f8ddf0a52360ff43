"""Checks for uploaded images (logos, avatars): real image, allowed type, bounded size.

The header is read without decoding the pixels, so a decompression bomb is refused
before it can use memory.
"""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

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
