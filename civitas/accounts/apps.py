from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civitas.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from civitas.accounts import exports  # noqa: F401  (registers the GDPR export)
