from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import ReencodedImageField
from civitas.homepage.registry import get_block_type
from civitas.organizations.models import Organization


class HomeLayout(models.Model):
    """Marks an organization whose admins arranged the home page: from then on its blocks are
    exactly the stored ones (none at all if they removed every block), never the defaults."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="home_layout")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.organization)


class HomeBlock(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="home_blocks")
    kind = models.CharField(_("kind of block"), max_length=50)
    title = models.CharField(_("heading"), max_length=200, blank=True)
    settings = models.JSONField(_("settings"), default=dict, blank=True)
    image = ReencodedImageField(
        _("image"), upload_to="home", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = models.CharField(_("text alternative of the image"), max_length=300, blank=True)
    visible = models.BooleanField(_("shown on the home page"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organization", "position"])]

    def __str__(self) -> str:
        return self.title or str(self.type_label)

    def save(self, *args, **kwargs):
        block_type = self.block_type
        if block_type is not None:
            for key in block_type.rich_text:
                if key in self.settings:
                    self.settings[key] = sanitize_html(str(self.settings[key] or ""))
        super().save(*args, **kwargs)

    @property
    def block_type(self):
        return get_block_type(self.kind)

    @property
    def type_label(self):
        block_type = self.block_type
        return block_type.label if block_type is not None else self.kind
