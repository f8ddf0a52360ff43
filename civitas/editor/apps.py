from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorConfig(AppConfig):
    name = "civitas.editor"
    verbose_name = _("Rich-text editor")

    def ready(self):
        from civitas.core.media import register_media
        from civitas.editor.models import EditorImage

        # Pictures an admin put into a text: shown wherever that text is, so to anyone on the
        # organization's own host (like its logo). Names are random: a picture is found only
        # through a page that shows it, and never on another organization's host.
        register_media(
            EditorImage,
            "image",
            organization_field="organization",
            may_see=lambda request, image: True,
            download_name=lambda image: f"image-{image.pk}",
        )
