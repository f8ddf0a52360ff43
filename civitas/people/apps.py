from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "civitas.people"
    label = "people"
    verbose_name = _("People and roles")

    def ready(self):
        from civitas.people import actions, exports, rules, signals  # noqa: F401  (log, GDPR, permissions, deletion)
