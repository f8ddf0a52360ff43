"""The authorizations app's share of a user's GDPR export: which verifications the account holds."""

from civitas.authorizations.handlers import HANDLERS
from civitas.authorizations.models import Authorization
from civitas.core.gdpr import register_export


@register_export("verifications", covers=[(Authorization, "user")])
def export_verifications(user) -> list[dict]:
    # Only that the account is verified, for what, and the day: the census entry it was
    # matched with (a keyed hash of the resident's identifier and birth date) says nothing
    # readable and must stay unlinkable from the account.
    authorizations = Authorization.objects.filter(user=user).order_by("granted_at", "pk")
    return [
        {
            "verified_as": str(HANDLERS.get(authorization.handler, authorization.handler)),
            "verified_on": authorization.granted_at.date().isoformat(),
        }
        for authorization in authorizations
    ]
