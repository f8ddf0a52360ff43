"""Where uploads are stored: random names, and images re-encoded on the way in.

A stored name says nothing about the upload (``proposals/3f2a….png``, not
``proposals/internal-budget-memo.png``) and cannot be guessed. The name people get
when they download a file comes from its owner instead (see ``civitas.core.media``).
"""

import re
import uuid

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from civitas.core.images import reencode_image
from civitas.core.thumbnails import delete_thumbnails

EXTENSION = re.compile(r"\.[a-z0-9]{1,8}")


@deconstructible
class RandomName:
    """``upload_to`` that files each upload as ``<folder>/<32 hex digits><extension>``."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        _stem, dot, extension = filename.rpartition(".")
        extension = f".{extension.lower()}" if dot else ""
        if not EXTENSION.fullmatch(extension):
            extension = ""
        return f"{self.folder}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, RandomName) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


# The names RandomName gives to re-encoded images (see ReencodedImageField).
REENCODED_NAME = re.compile(r"(?:.+/)?[0-9a-f]{32}\.(?:png|jpg)")


class ReencodedImageFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        # Every way of storing a new file (a form's upload, ``instance.image.save(…)``)
        # ends here: the storage gets the new encoding, under a random name with its
        # extension, never the uploaded bytes or name.
        data, extension = reencode_image(content)
        super().save(f"image{extension}", ContentFile(data), save)

    def delete(self, save=True):
        # The thumbnails cut from this image go with it (an erased avatar leaves nothing).
        if self.name:
            delete_thumbnails(type(self.instance), self.field.name, self.name)
        super().delete(save)


class AltTextField(models.CharField):
    """The text alternative of the image field beside it (``<image field>_alt``).

    Empty means the image is decorative: forms accept that only when the person ticks
    "decorative image" (see ``civitas.core.forms_images``), and pages then write ``alt=""``.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("verbose_name", _("text alternative"))
        kwargs.setdefault("max_length", 250)
        kwargs.setdefault("blank", True)
        kwargs.setdefault(
            "help_text",
            _("What the image shows, for people who cannot see it (read aloud by screen readers)."),
        )
        super().__init__(*args, **kwargs)


class ReencodedImageField(models.ImageField):
    """An image field that stores a fresh PNG or JPEG encoding of each new upload.

    No stored image of this field carries bytes of the original upload, so it is safe to
    serve inline. Validation (``validate_uploaded_image``) still runs first, in the form;
    an upload that is not an image fails here too, with the same message.
    """

    attr_class = ReencodedImageFieldFile

    def __init__(self, *args, upload_to: "str | RandomName" = "", **kwargs):
        if isinstance(upload_to, str):
            upload_to = RandomName(upload_to)
        super().__init__(*args, upload_to=upload_to, **kwargs)
