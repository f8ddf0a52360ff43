"""Creating organizations, used by the system panel and by ``create_organization``."""

import secrets

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from civitas.organizations.models import Organization, SecondaryHost


@transaction.atomic
def do_create_organization(
    *,
    name: str,
    host: str,
    admin_email: str,
    admin_name: str = "",
    default_locale: str = "fr",
    available_locales=None,
    secondary_hosts=(),
    admin_password: str | None = None,
    **settings,
) -> tuple[Organization, object]:
    """Create an organization and its first admin; the admin's e-mail counts as confirmed."""
    organization = Organization(
        name=name,
        host=host,
        default_locale=default_locale,
        available_locales=list(available_locales or ["fr", "en"]),
        **settings,
    )
    organization.full_clean()
    organization.save()
    for secondary in secondary_hosts:
        entry = SecondaryHost(organization=organization, host=secondary)
        entry.full_clean()
        entry.save()
    admin = get_user_model().objects.create_user(
        admin_email,
        admin_password or secrets.token_urlsafe(24),
        organization=organization,
        name=admin_name or admin_email.split("@")[0],
        nickname=_free_nickname(organization, admin_email),
        is_organization_admin=True,
        email_confirmed_at=timezone.now(),
        locale=default_locale,
    )
    return organization, admin


def _free_nickname(organization, email: str) -> str:
    base = "".join(char for char in email.split("@")[0] if char.isalnum() or char in "-_")[:20] or "admin"
    base = base if len(base) >= 3 else f"{base}-admin"
    nickname, suffix = base, 1
    users = get_user_model().objects.filter(organization=organization)
    while users.filter(nickname__iexact=nickname).exists():
        suffix += 1
        nickname = f"{base}-{suffix}"
    return nickname
