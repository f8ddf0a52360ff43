from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civitas.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from civitas.accounts import exports  # noqa: F401  (registers the GDPR export)
        from civitas.accounts.models import User
        from civitas.core.media import register_media

        # An avatar is public within its organization, like the profile page showing it;
        # its owner keeps seeing it on the settings page.
        register_media(
            User,
            "avatar",
            organization_field="organization",
            may_see=lambda request, user: (
                user == request.user or (user.is_active and user.deleted_at is None)
            ),
            download_name=lambda user: f"avatar-{user.nickname}",
            thumbnails=("avatar",),
        )
