from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "civitas.spaces"
    verbose_name = _("Participatory spaces")
