from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "civitas.opendata"
    verbose_name = _("Open data")

    def ready(self):
        from civitas.core.media import register_media
        from civitas.opendata import builtin
        from civitas.opendata.models import Archive

        builtin.register_core_datasets()
        # The archive is public, but only on its own organization's host.
        register_media(
            Archive,
            "file_name",
            organization_field="organization",
            may_see=lambda request, archive: True,
            download_name=archive_download_name,
        )


def archive_download_name(archive) -> str:
    """``<host>-open-data-<date>``: the name people save the archive under."""
    slug = "".join(char if char.isalnum() else "-" for char in archive.organization.host)
    return f"{slug}-open-data-{archive.built_at:%Y-%m-%d}"
