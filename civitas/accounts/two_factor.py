"""Time-based one-time passwords (RFC 6238) through django-otp's TOTP devices.

Setting up a first device takes more than the password: whoever holds only the password
could otherwise add their own app and pass every two-factor gate. The set-up page first
e-mails a single-use link to the account's address; only the browser session that opens
it may then scan the QR code and confirm a code. The same holds for system admins.
"""

import secrets
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP_LINK_MAX_AGE = 30 * 60
SETUP_SESSION_KEY = "civitas_2fa_setup"
_SETUP_SALT = "civitas.accounts.two_factor_setup"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code", dark="#111")


def manual_key(device: TOTPDevice) -> str:
    """The shared secret in base32, grouped by four, for apps where one types it in."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def verify(device: TOTPDevice, code: str) -> bool:
    return device.verify_token(code.strip().replace(" ", ""))


def make_setup_token(user) -> str:
    """The token of the e-mailed link that lets one session set up a first device."""
    payload = {"u": user.pk, "o": user.organization_id, "n": secrets.token_urlsafe(12)}
    return signing.dumps(payload, salt=_SETUP_SALT)


def open_setup_link(request, token: str) -> bool:
    """Let this session set up a device if the link is the signed-in person's, fresh and unused."""
    try:
        payload = signing.loads(token, salt=_SETUP_SALT, max_age=SETUP_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    user = request.user
    if payload.get("u") != user.pk or payload.get("o") != user.organization_id:
        return False
    used = f"two-factor-setup-used:{payload.get('n', '')}"
    if not caches["shared"].add(used, 1, timeout=SETUP_LINK_MAX_AGE + 60):
        return False
    request.session[SETUP_SESSION_KEY] = {"u": user.pk, "at": time.time()}
    return True


def setup_allowed(request) -> bool:
    """Did this session open a set-up link for this person, recently enough?"""
    granted = request.session.get(SETUP_SESSION_KEY)
    return bool(
        granted
        and granted.get("u") == request.user.pk
        and time.time() - granted.get("at", 0) <= SETUP_LINK_MAX_AGE
    )


def confirm(request, device: TOTPDevice, code: str) -> bool:
    if not setup_allowed(request) or not verify(device, code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    request.session.pop(SETUP_SESSION_KEY, None)
    otp_login(request, device)
    return True


def required_of_system_admins() -> bool:
    return settings.CIVITAS_SYSTEM_REQUIRE_TWO_FACTOR
