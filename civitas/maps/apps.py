from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "civitas.maps"
    verbose_name = _("Maps")

    def ready(self):
        from civitas.maps.home import register_home_block

        register_home_block()
