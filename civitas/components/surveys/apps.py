from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "civitas.components.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from civitas.components.manifest import registry
        from civitas.components.surveys import tasks  # noqa: F401  (periodic reshuffle)
        from civitas.components.surveys.manifest import manifest

        registry.register(manifest)
        from civitas.ballotbox.services import discard_before_delete
        from civitas.components.surveys.models import Survey

        discard_before_delete(Survey)
