from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotBoxConfig(AppConfig):
    name = "civitas.ballotbox"
    label = "ballotbox"
    verbose_name = _("Ballot box")

    def ready(self) -> None:
        from civitas.ballotbox import exports  # noqa: F401  (registers the GDPR export)
