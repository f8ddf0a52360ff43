from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "civitas.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self):
        from civitas.newsletters import exports, signals  # noqa: F401  (GDPR export, account deletion)
