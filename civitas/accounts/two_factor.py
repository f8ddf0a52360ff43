"""Time-based one-time passwords (RFC 6238) through django-otp's TOTP devices."""

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="default", confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR code", dark="#111")


def manual_key(device: TOTPDevice) -> str:
    """The shared secret in base32, grouped by four, for apps where one types it in."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def verify(device: TOTPDevice, code: str) -> bool:
    return device.verify_token(code.strip().replace(" ", ""))


def confirm(request, device: TOTPDevice, code: str) -> bool:
    if not verify(device, code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
