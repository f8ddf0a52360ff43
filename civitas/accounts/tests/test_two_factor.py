import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client, TestCase
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.testing.captcha import log_in

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC)


def _code(device, at):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def _setup_link(client, user):
    """Ask for the set-up e-mail and return the link it carries."""
    page = client.get("/accounts/settings/two-factor/").content.decode()
    assert 'class="qr"' not in page and "totp-key" not in page  # no secret before the e-mail
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post("/accounts/settings/two-factor/").status_code == 302
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    return re.search(r"https?://\S+/accounts/settings/two-factor/setup/\S+/", message.body).group(0)


def _enable(client, user, at):
    assert client.get(_setup_link(client, user)).status_code == 302
    page = client.get("/accounts/settings/two-factor/").content.decode()
    assert 'class="qr"' in page and "<svg" in page  # the QR code, drawn inline
    assert re.search(r'id="totp-key">[A-Z2-7 ]+<', page)  # and the key to type in
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/settings/two-factor/", {"code": _code(device, at)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_enable_then_log_in_with_a_code(client_a, org_a, user_a, password):
    with time_machine.travel(START, tick=False):
        client_a.force_login(user_a)
        device = _enable(client_a, user_a, START)
        client_a.post("/accounts/logout/")
    later = START + datetime.timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        response = log_in(client_a, org_a, user_a.email, password)
        assert response["Location"] == "/accounts/login/verify/"
        assert client_a.get("/accounts/settings/").status_code == 302  # not logged in yet
        response = client_a.post(
            "/accounts/login/verify/", {"code": "000000" if _code(device, later) != "000000" else "111111"}
        )
        assert response.status_code == 200
    # django-otp also slows down retries after a wrong code: wait a few seconds.
    retry = later + datetime.timedelta(seconds=5)
    with time_machine.travel(retry, tick=False):
        response = client_a.post("/accounts/login/verify/", {"code": _code(device, retry)})
        assert response.status_code == 302
        assert client_a.get("/accounts/settings/").status_code == 200


def test_a_code_cannot_be_replayed(client_a, org_a, user_a, password):
    with time_machine.travel(START, tick=False):
        client_a.force_login(user_a)
        device = _enable(client_a, user_a, START)
        client_a.post("/accounts/logout/")
        log_in(client_a, org_a, user_a.email, password)
        # The code used to confirm the device is spent.
        assert client_a.post("/accounts/login/verify/", {"code": _code(device, START)}).status_code == 200


def test_verification_step_expires(client_a, org_a, user_a, password):
    with time_machine.travel(START, tick=False):
        client_a.force_login(user_a)
        device = _enable(client_a, user_a, START)
        client_a.post("/accounts/logout/")
        log_in(client_a, org_a, user_a.email, password)
    late = START + datetime.timedelta(minutes=10)
    with time_machine.travel(late, tick=False):
        response = client_a.post("/accounts/login/verify/", {"code": _code(device, late)})
        assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_organization_can_require_it_of_admins(client_a, org_a, admin_a, user_a):
    org_a.require_admin_two_factor = True
    org_a.save()
    client_a.force_login(admin_a)
    response = client_a.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/settings/two-factor/")
    with time_machine.travel(START, tick=False):
        _enable(client_a, admin_a, START)
        assert client_a.get("/admin/").status_code == 200
    # Participants are not concerned.
    client_a.force_login(user_a)
    assert client_a.get("/accounts/settings/").status_code == 200


def test_disable_needs_a_valid_code(client_a, user_a):
    with time_machine.travel(START, tick=False):
        client_a.force_login(user_a)
        device = _enable(client_a, user_a, START)
    later = START + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        client_a.post("/accounts/settings/two-factor/", {"code": "12345"})
        assert TOTPDevice.objects.filter(user=user_a, confirmed=True).exists()
        client_a.post("/accounts/settings/two-factor/", {"code": _code(device, later)})
        assert not TOTPDevice.objects.filter(user=user_a, confirmed=True).exists()


def test_the_password_alone_cannot_set_up_a_first_device(client_a, org_a, admin_a):
    """Someone who knows an admin's password logs in and tries to add their own app."""
    org_a.require_admin_two_factor = True
    org_a.save()
    with time_machine.travel(START, tick=False):
        client_a.force_login(admin_a)  # the password is all the attacker has
        page = client_a.get("/accounts/settings/two-factor/").content.decode()
        assert "totp-key" not in page and 'class="qr"' not in page
        for device in TOTPDevice.objects.filter(user=admin_a):  # whatever secret exists server-side
            client_a.post("/accounts/settings/two-factor/", {"code": _code(device, START)})
        mail.outbox.clear()
        with TestCase.captureOnCommitCallbacks(execute=True):
            client_a.post("/accounts/settings/two-factor/", {"code": "123456"})
        assert not TOTPDevice.objects.filter(user=admin_a, confirmed=True).exists()
        # The link went to the owner's mailbox, not to the attacker.
        assert [message.to for message in mail.outbox] == [[admin_a.email]]
        assert client_a.get("/admin/")["Location"].startswith("/accounts/settings/two-factor/")
        # Nor can the attacker move the account, and the link, to their own address.
        response = client_a.post(
            "/accounts/settings/email/",
            {"email": "attacker@example.org", "password": "correct horse battery staple"},
        )
        assert response.status_code == 302
        admin_a.refresh_from_db()
        assert not admin_a.pending_email
        assert all(message.to != ["attacker@example.org"] for message in mail.outbox)


def test_the_setup_link_is_the_accounts_own_fresh_and_single_use(client_a, org_a, user_a, admin_a):
    with time_machine.travel(START, tick=False):
        client_a.force_login(user_a)
        link = _setup_link(client_a, user_a)
        # Another account's session cannot use it.
        other = Client(HTTP_HOST=org_a.host)
        other.force_login(admin_a)
        other.get(link)
        assert "totp-key" not in other.get("/accounts/settings/two-factor/").content.decode()
        # Its owner can, once.
        client_a.get(link)
        assert "totp-key" in client_a.get("/accounts/settings/two-factor/").content.decode()
        second = Client(HTTP_HOST=org_a.host)
        second.force_login(user_a)
        second.get(link)
        assert "totp-key" not in second.get("/accounts/settings/two-factor/").content.decode()
        stale = _setup_link(second, user_a)
    with time_machine.travel(START + datetime.timedelta(minutes=31), tick=False):
        second.get(stale)
        assert "totp-key" not in second.get("/accounts/settings/two-factor/").content.decode()
