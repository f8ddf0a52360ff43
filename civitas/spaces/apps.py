from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "civitas.spaces"
    verbose_name = _("Participatory spaces")

    def ready(self):
        from civitas.core.media import register_media
        from civitas.spaces import exports  # noqa: F401  (registers the GDPR export)
        from civitas.spaces.home import register_home_blocks
        from civitas.spaces.models import ProcessGroup, Space

        register_home_blocks()

        for field, shape in (("image", "card"), ("banner", "banner")):
            register_media(
                Space,
                field,
                organization_field="organization",
                may_see=lambda request, space: request.user.has_perm("spaces.view_space", space),
                download_name=lambda space: f"space-{space.slug}",
                thumbnails=(shape,),
            )
            register_media(
                ProcessGroup,
                field,
                organization_field="organization",
                may_see=lambda request, group: request.user.has_perm("spaces.view_group", group),
                download_name=lambda group: f"group-{group.slug}",
                thumbnails=(shape,),
            )
