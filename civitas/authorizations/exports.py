"""The authorizations app's share of a user's GDPR export: which verifications the account holds."""

from civitas.authorizations.handlers import HANDLERS
from civitas.authorizations.models import Authorization
from civitas.core.gdpr import register_export


@register_export("verifications", covers=[(Authorization, "user")])
def export_verifications(user) -> list[dict]:
    # Only that the account is verified, for what, and the day: that is all the account
    # side keeps (with the district the verification gave, if any), so that nothing pairs the
    # account with its census entry or letter code.
    authorizations = Authorization.objects.filter(user=user).order_by("granted_on", "pk")
    return [
        {
            "verified_as": str(HANDLERS.get(authorization.handler, authorization.handler)),
            "verified_on": authorization.granted_on.isoformat(),
            "district": authorization.district,
        }
        for authorization in authorizations
    ]
