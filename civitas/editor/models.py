"""Pictures inserted into rich text by the back-office's editor."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import EDITOR_IMAGE_FOLDER
from civitas.core.uploads import ReencodedImageField


class EditorImage(models.Model):
    """One uploaded picture. The stored file is a fresh PNG or JPEG encoding (never the upload's
    bytes), under a random name in ``editor/``: the only ``<img>`` sources rich text keeps."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="editor_images"
    )
    image = ReencodedImageField(_("image"), upload_to=EDITOR_IMAGE_FOLDER)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("picture in a text")
        verbose_name_plural = _("pictures in texts")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.image.name
