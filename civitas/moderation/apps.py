from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "civitas.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from civitas.notifications.kinds import register_kind

        register_kind("moderation_reported", _("“%(target)s” was reported: the moderation queue awaits you."))
        register_kind(
            "moderation_auto_hidden",
            _("“%(target)s” was hidden automatically after reports: check it in the moderation queue."),
        )
