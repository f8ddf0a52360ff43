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
            download_name=lambda archive: archive.download_name,
            select_related=("organization",),
        )
