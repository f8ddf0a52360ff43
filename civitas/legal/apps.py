from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalConfig(AppConfig):
    name = "civitas.legal"
    label = "legal"
    verbose_name = _("Terms of use and help pages")

    def ready(self):
        from civitas.legal import exports, signals  # noqa: F401  (GDPR export, account deletion)
