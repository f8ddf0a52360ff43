"""The system panel's log-in: one set of counters for the installation, a CAPTCHA, TOTP."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, TestCase
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.testing.captcha import solved_fields

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]
User = get_user_model()
LOGIN = "/system/login/"
EMAIL, PASSWORD = "root@install.test", "system password 123"
START = datetime.datetime(2026, 11, 28, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def system_admin(db):
    return User.objects.create_superuser(EMAIL, PASSWORD)


def _client(organization, address):
    return Client(HTTP_HOST=organization.host, REMOTE_ADDR=address)


def _log_in(client, password=PASSWORD):
    """As a person would: answer the CAPTCHA when the form asks for it."""
    response = client.post(LOGIN, {"email": EMAIL, "password": password})
    if response.status_code == 200 and "captcha_token" in response.content.decode():
        data = {"email": EMAIL, "password": password, **solved_fields(response.content.decode(), None)}
        response = client.post(LOGIN, data)
    return response


def _code(device, at):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def test_the_limit_is_the_installations_not_each_hosts(org_a, org_b, system_admin):
    attacker_on_a = _client(org_a, "198.51.100.5")
    for _ in range(5):
        response = attacker_on_a.post(LOGIN, {"email": EMAIL, "password": "wrong password"})
        assert response.status_code == 200
    # The same address on another organization's host is the same attacker.
    attacker_on_b = _client(org_b, "198.51.100.5")
    response = _log_in(attacker_on_b)
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in attacker_on_b.session


def test_a_failure_anywhere_brings_the_captcha_everywhere_but_no_lock(org_a, org_b, system_admin):
    assert "captcha_token" not in _client(org_a, "198.51.100.5").get(LOGIN).content.decode()
    for _ in range(3):
        _client(org_a, "198.51.100.5").post(LOGIN, {"email": EMAIL, "password": "wrong password"})
    owner = _client(org_b, "192.0.2.8")
    response = owner.post(LOGIN, {"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 200 and "captcha_token" in response.content.decode()
    assert "_auth_user_id" not in owner.session
    data = {"email": EMAIL, "password": PASSWORD, **solved_fields(response.content.decode(), None)}
    assert owner.post(LOGIN, data).status_code == 302
    assert owner.get("/system/").status_code == 200


def _set_up_app(client, user, at):
    """Ask for the e-mailed link, open it, scan the QR code and confirm a code."""
    page = client.get("/system/two-factor/").content.decode()
    assert "totp-key" not in page  # no secret before the e-mail
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post("/system/two-factor/")
    (message,) = mail.outbox
    assert message.to == [user.email]
    link = re.search(r"https?://\S+/system/two-factor/setup/\S+/", message.body).group(0)
    client.get(link)
    assert "totp-key" in client.get("/system/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/system/two-factor/", {"code": _code(device, at)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_system_admin_sets_up_totp_and_then_logs_in_with_a_code(org_a, system_admin):
    client = _client(org_a, "192.0.2.8")
    with time_machine.travel(START, tick=False):
        assert _log_in(client).status_code == 302
        device = _set_up_app(client, system_admin, START)
        client.post("/system/logout/")
    later = START + datetime.timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        response = _log_in(client)
        assert response["Location"] == "/system/login/verify/"
        assert client.get("/system/").status_code == 302  # the password alone is not a session
        assert client.post("/system/login/verify/", {"code": "12345x"}).status_code == 200
    retry = later + datetime.timedelta(seconds=5)
    with time_machine.travel(retry, tick=False):
        assert client.post("/system/login/verify/", {"code": _code(device, retry)}).status_code == 302
        assert client.get("/system/").status_code == 200


def test_when_required_the_panel_waits_for_the_second_factor(org_a, system_admin, settings):
    settings.CIVITAS_SYSTEM_REQUIRE_TWO_FACTOR = True
    client = _client(org_a, "192.0.2.8")
    with time_machine.travel(START, tick=False):
        assert _log_in(client).status_code == 302
        for path in ("/system/", "/system/organizations/new/"):
            response = client.get(path)
            assert response.status_code == 302 and response["Location"].startswith("/system/two-factor/")
        response = client.post("/system/organizations/new/", {"name": "X", "host": "x.test"})
        assert response.status_code == 302 and response["Location"].startswith("/system/two-factor/")
        device = _set_up_app(client, system_admin, START)
        assert client.get("/system/").status_code == 200
        # Required: it cannot be turned off.
        later = START + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        client.post("/system/two-factor/", {"code": _code(device, later)})
        assert TOTPDevice.objects.filter(user=system_admin, confirmed=True).exists()
