from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "civitas.moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_save

        from civitas.moderation import exports  # registers the GDPR exports

        post_save.connect(
            exports.erase_deleted_account,
            sender=get_user_model(),
            weak=False,
            dispatch_uid="moderation-erase-deleted-account",
        )
