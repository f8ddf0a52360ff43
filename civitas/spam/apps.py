from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpamConfig(AppConfig):
    name = "civitas.spam"
    verbose_name = _("Spam detection")

    def ready(self) -> None:
        from civitas.core.attention import register_attention
        from civitas.spam import (
            exports,  # noqa: F401  (registers the GDPR exports)
            signals,  # noqa: F401  (connects the scoring of new contributions)
        )
        from civitas.spam.attention import accounts_blocked_automatically

        register_attention("spam_blocked_accounts", accounts_blocked_automatically, position=15)
