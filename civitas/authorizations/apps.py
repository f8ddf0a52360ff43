from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuthorizationsConfig(AppConfig):
    name = "civitas.authorizations"
    label = "authorizations"
    verbose_name = _("Authorizations")

    def ready(self):
        from civitas.authorizations import exports  # noqa: F401  (registers the GDPR export)
