import pytest
from django.test import Client

from civitas.testing.captcha import log_in as _attempt

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]
LOGIN = "/accounts/login/"


def test_account_is_paused_after_five_failures_even_from_many_addresses(org_a, user_a, password):
    for attempt in range(5):
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"198.51.100.{attempt}")
        assert _attempt(client, org_a, user_a.email, "wrong password").status_code == 200
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="198.51.100.99")
    response = _attempt(client, org_a, user_a.email, password)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_paused(org_a, user_a, admin_a, password):
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _attempt(client, org_a, user_a.email, "wrong password")
    assert _attempt(client, org_a, admin_a.email, password).status_code == 302


def test_one_address_is_paused_after_too_many_attempts(org_a, user_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"login": ("4/10m", "100/15m")}
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="203.0.113.5")
    for index in range(4):
        assert _attempt(client, org_a, f"nobody{index}@example.org", "x").status_code == 200
    assert _attempt(client, org_a, "someone@example.org", "x").status_code == 429
    # Another address is not affected.
    other = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="203.0.113.6")
    assert _attempt(other, org_a, "someone@example.org", "x").status_code == 200


def test_captcha_joins_the_login_form_after_a_failure(org_a, user_a):
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="192.0.2.10")
    assert "captcha_token" not in client.get(LOGIN).content.decode()
    response = client.post(LOGIN, {"username": user_a.email, "password": "wrong"})
    body = response.content.decode()
    assert "incorrect" in body and "captcha_token" in body
    # Without the answer, even the right password is refused.
    assert (
        client.post(LOGIN, {"username": user_a.email, "password": "correct horse battery staple"}).status_code
        == 200
    )


def test_sign_up_is_rate_limited_per_address(org_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"signup": ("2/h", None)}
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="192.0.2.20")
    assert client.post("/accounts/signup/", {"nickname": "x"}).status_code == 200
    assert client.post("/accounts/signup/", {"nickname": "y"}).status_code == 200
    response = client.post("/accounts/signup/", {"nickname": "z"})
    assert response.status_code == 429
    assert "réessayer dans" in response.content.decode().lower() or "Réessayez" in response.content.decode()


def test_sign_up_is_rate_limited_per_requested_address(org_a):
    for index in range(3):
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"192.0.2.{30 + index}")
        assert client.post("/accounts/signup/", {"email": "target@example.org"}).status_code == 200
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="192.0.2.99")
    assert client.post("/accounts/signup/", {"email": "TARGET@example.org"}).status_code == 429
    assert client.post("/accounts/signup/", {"email": "other@example.org"}).status_code == 200
