from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see_block_image(request, block) -> bool:
    """A shown block's image is on the public home page; a hidden one's is for the admins."""
    from civitas.organizations.access import is_organization_admin_of

    return block.visible or is_organization_admin_of(request.user, block.organization_id)


class HomepageConfig(AppConfig):
    name = "civitas.homepage"
    verbose_name = _("Home page")

    def ready(self):
        from civitas.core.media import register_media
        from civitas.homepage.builtin import register_builtin_block_types
        from civitas.homepage.models import HomeBlock

        register_builtin_block_types()
        register_media(
            HomeBlock,
            "image",
            organization_field="organization",
            may_see=_may_see_block_image,
            download_name=lambda block: f"home-{block.pk}",
        )
