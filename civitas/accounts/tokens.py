"""Signed links sent by e-mail: confirming an address, confirming a change of address."""

from django.core import signing

CONFIRMATION_MAX_AGE = 3 * 24 * 3600
_SALT = "civitas.accounts.email"


def make_email_token(user, email: str) -> str:
    return signing.dumps({"u": user.pk, "o": user.organization_id, "e": email}, salt=_SALT)


def read_email_token(token: str) -> dict | None:
    """The payload, or None when the link is forged, garbled or expired."""
    try:
        return signing.loads(token, salt=_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        return None
