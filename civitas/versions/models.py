from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Version(models.Model):
    """The tracked fields of one object as one person left them, numbered from 1.

    A snapshot rather than a delta: any two versions compare directly, and a version
    reads alone even after the object itself changed many times.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="versions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    fields = models.JSONField(default=dict)
    # Why this version exists when it is not a plain edit ("Amendment by … accepted").
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["content_type", "object_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "number"], name="one_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} v{self.number}"
