from django.contrib.contenttypes.models import ContentType
from django.db import models

from civitas.organizations.models import Organization


class ImportedRecord(models.Model):
    """Which Civitas row a row of a Decidim export became, so that importing again is harmless.

    ``checksum`` is a digest of the values read from the row (never of a personal column):
    the same digest on the next run means the row did not change and is left alone.
    ``details`` keeps what Civitas has no field for (e.g. a budget project's "selected").
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    source_host = models.CharField(max_length=253)
    source_kind = models.CharField(max_length=40)
    source_id = models.CharField(max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64)
    details = models.JSONField(default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "organization", "source_host", "source_kind", "source_id", name="decidim_row_imported_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_host} {self.source_kind} {self.source_id} → {self.object_id}"
