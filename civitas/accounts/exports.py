"""The accounts app's share of a user's GDPR export."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.core.gdpr import register_export, register_export_files


def _avatar_file_name(user) -> str:
    return "avatar" + user.avatar.name[user.avatar.name.rfind(".") :] if user.avatar else ""


@register_export("account")
def export_account(user) -> list[dict]:
    return [
        {
            "organization": user.organization.name if user.organization else "",
            "name": user.name,
            "nickname": user.nickname,
            "email": user.email,
            "pending_email": user.pending_email,
            "language": user.locale,
            "about": user.about,
            "personal_url": user.personal_url,
            # The picture itself is in the archive, at this name under files/.
            "avatar": f"files/{_avatar_file_name(user)}" if user.avatar else "",
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else "",
            "email_confirmed_at": user.email_confirmed_at.isoformat() if user.email_confirmed_at else "",
            "accepted_terms_at": user.accepted_terms_at.isoformat() if user.accepted_terms_at else "",
            "organization_admin": user.is_organization_admin,
            "user_manager": user.is_user_manager,
        }
    ]


@register_export_files("avatar")
def export_avatar(user) -> list[tuple[str, object]]:
    return [(_avatar_file_name(user), user.avatar)] if user.avatar else []


@register_export("two_factor_devices", covers=[(TOTPDevice, "user")])
def export_two_factor(user) -> list[dict]:
    # The shared secret stays out: it is a credential, not information about the person.
    return [
        {"name": device.name, "confirmed": device.confirmed, "last_used_at": device.last_used_at}
        for device in TOTPDevice.objects.filter(user=user)
    ]
