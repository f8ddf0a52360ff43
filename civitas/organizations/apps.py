from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "civitas.organizations"
    verbose_name = _("Organizations")

    def ready(self):
        from civitas.core.media import register_media
        from civitas.organizations.models import Organization

        # Every page of the organization shows its logo.
        register_media(
            Organization,
            "logo",
            organization_field="pk",
            may_see=lambda request, organization: True,
            download_name=lambda organization: "logo",
        )
