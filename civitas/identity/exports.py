"""The identity app's share of a user's GDPR export: the providers linked and what is kept."""

from civitas.core.gdpr import iso, register_export
from civitas.identity.models import ProviderAccount


@register_export("identity_providers", covers=[(ProviderAccount, "user")])
def export_provider_accounts(user) -> list[dict]:
    accounts = ProviderAccount.objects.filter(user=user).select_related("provider").order_by("pk")
    return [
        {
            "provider": account.provider.name,
            "subject": account.subject,
            "linked_at": iso(account.linked_at),
            "last_login_at": iso(account.last_login_at),
            "given_name": account.given_name,
            "family_name": account.family_name,
            "email": account.email,
            "birth_date": iso(account.birth_date),
            "birth_place": account.birth_place,
            # A keyed hash of the identity (README, "Petitions"): pseudonymous, still theirs.
            "person_digest": account.person_digest,
        }
        for account in accounts
    ]
