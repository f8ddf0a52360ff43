from django.db import models


class Archive(models.Model):
    """The latest open-data archive of an organization, kept in the default file storage."""

    organization = models.OneToOneField(
        "organizations.Organization", on_delete=models.CASCADE, related_name="opendata_archive"
    )
    file_name = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    row_counts = models.JSONField(default=dict)
    built_at = models.DateTimeField()
    requested_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.file_name

    @property
    def download_name(self) -> str:
        """``<host>-open-data-<date>``: the name people save the archive under."""
        slug = "".join(char if char.isalnum() else "-" for char in self.organization.host)
        return f"{slug}-open-data-{self.built_at:%Y-%m-%d}"
