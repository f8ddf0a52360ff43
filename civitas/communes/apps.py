from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunesConfig(AppConfig):
    """A metropolis's portal: its communes' public spaces, listed and searched in one place."""

    name = "civitas.communes"
    label = "communes"
    verbose_name = _("Communes of a metropolis")

    def ready(self):
        from civitas.communes.home import register_home_blocks

        register_home_blocks()
