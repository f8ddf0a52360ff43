from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "civitas.moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from civitas.moderation import exports  # noqa: F401  (registers the GDPR exports)
