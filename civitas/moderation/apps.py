from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "civitas.moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from civitas.core.attention import register_attention
        from civitas.moderation import exports  # registers the GDPR exports
        from civitas.moderation.attention import waiting_reports
        from civitas.notifications.kinds import register_kind

        register_kind("moderation_reported", _("“%(target)s” was reported: the moderation queue awaits you."))
        register_kind(
            "moderation_auto_hidden",
            _("“%(target)s” was hidden automatically after reports: check it in the moderation queue."),
        )
        register_attention("moderation", waiting_reports, position=10)
        post_save.connect(
            exports.erase_deleted_account,
            sender=get_user_model(),
            weak=False,
            dispatch_uid="moderation-erase-deleted-account",
        )
