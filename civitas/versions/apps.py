from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VersionsConfig(AppConfig):
    name = "civitas.versions"
    label = "versions"
    verbose_name = _("Version history")

    def ready(self):
        from civitas.versions import exports  # noqa: F401  (GDPR export)
