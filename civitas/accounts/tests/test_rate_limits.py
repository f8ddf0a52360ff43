import pytest
from django.test import Client

from civitas.accounts.throttle import Rates
from civitas.testing.captcha import log_in as _attempt
from civitas.testing.captcha import solved_fields

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]
LOGIN = "/accounts/login/"


def _owner_logs_in(client, organization, email, password):
    """Log in as the owner would: answer the CAPTCHA if the form asks for it."""
    response = _attempt(client, organization, email, password)
    if response.status_code == 200 and "captcha_token" in response.content.decode():
        data = {"username": email, "password": password}
        data.update(solved_fields(response.content.decode(), organization))
        response = client.post(LOGIN, data)
    return response


@pytest.mark.parametrize("who", ["user_a", "admin_a"])
def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out(request, org_a, password, who):
    account = request.getfixturevalue(who)
    attacker = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="198.51.100.66")
    for _ in range(5):
        assert _attempt(attacker, org_a, account.email, "wrong password").status_code == 200
    # The attacker's address is cut off for this account, even with the right password...
    refused = _owner_logs_in(attacker, org_a, account.email, password)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    # ...while the owner, from their own address, gets in, again and again.
    for _ in range(3):
        owner = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="192.0.2.44")
        response = _owner_logs_in(owner, org_a, account.email, password)
        assert response.status_code == 302
        assert int(owner.session["_auth_user_id"]) == account.pk
        owner.post("/accounts/logout/")


def test_failures_from_many_addresses_ask_for_a_captcha_not_a_lock(org_a, user_a, password):
    for attempt in range(8):
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"198.51.100.{attempt}")
        assert _attempt(client, org_a, user_a.email, "wrong password").status_code == 200
    owner = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="198.51.100.99")
    # The right password alone is not enough while the account is under attack...
    response = owner.post(LOGIN, {"username": user_a.email, "password": password})
    assert response.status_code == 200 and "captcha_token" in response.content.decode()
    assert "_auth_user_id" not in owner.session
    # ...with the CAPTCHA answered, the owner is in.
    data = {"username": user_a.email, "password": password, **solved_fields(response.content.decode(), org_a)}
    assert owner.post(LOGIN, data).status_code == 302
    assert int(owner.session["_auth_user_id"]) == user_a.pk


def test_ipv6_addresses_of_one_64_share_their_counters(org_a, user_a, password, settings):
    settings.CIVITAS_RATE_LIMITS = {"login": Rates(per_address="3/10m", per_account_and_address="3/15m")}
    for suffix in ("1", "2", "3"):
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"2001:db8:1:2::{suffix}")
        assert _attempt(client, org_a, f"nobody{suffix}@example.org", "x").status_code == 200
    # Another address of the same /64 is the same client.
    same_network = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="2001:db8:1:2:ffff:abcd::9")
    assert _attempt(same_network, org_a, "someone@example.org", "x").status_code == 429
    # The next /64 is someone else, and the account itself is not locked.
    other_network = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="2001:db8:1:3::1")
    assert _owner_logs_in(other_network, org_a, user_a.email, password).status_code == 302


def test_ipv6_attacker_hopping_addresses_in_a_64_stays_counted_for_the_account(org_a, user_a, password):
    for suffix in range(5):
        client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=f"2001:db8:7:7::{suffix + 1:x}")
        assert _attempt(client, org_a, user_a.email, "wrong password").status_code == 200
    hopper = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="2001:db8:7:7:aaaa::1")
    assert _owner_logs_in(hopper, org_a, user_a.email, password).status_code == 429
    owner = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="2001:db8:8:8::1")
    assert _owner_logs_in(owner, org_a, user_a.email, password).status_code == 302


def test_ipv4_clients_seen_through_a_dual_stack_socket_are_not_one_network(org_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"login": Rates(per_address="2/10m")}
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="::ffff:198.51.100.1")
    for index in range(2):
        assert _attempt(client, org_a, f"nobody{index}@example.org", "x").status_code == 200
    assert _attempt(client, org_a, "someone@example.org", "x").status_code == 429
    neighbour = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="::ffff:198.51.100.2")
    assert _attempt(neighbour, org_a, "someone@example.org", "x").status_code == 200


def test_other_accounts_are_not_paused(org_a, user_a, admin_a, password):
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        _attempt(client, org_a, user_a.email, "wrong password")
    assert _attempt(client, org_a, admin_a.email, password).status_code == 302


def test_one_address_is_paused_after_too_many_attempts(org_a, user_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"login": Rates(per_address="4/10m")}
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


@pytest.mark.parametrize("action", ["vote", "comment"])
def test_a_counter_never_names_the_account_it_counts(rf, org_a, user_a, action):
    """The counters live in the cache (a database table by default) with the time of their
    first hit: keyed by the account's id, a copy of the database would say when it voted."""
    from civitas.accounts import throttle

    request = rf.post("/", REMOTE_ADDR="192.0.2.7")
    request.user, request.organization = user_a, org_a
    throttle.participant_verdict(request, action)
    rate = throttle._rates(action).per_account
    account_key = throttle._account_key(request, action, f"user-{user_a.pk}")
    assert throttle._usage(request, action, "account", account_key, rate, increment=False)["count"] == 1
    for guess in (f"user-{user_a.pk}", user_a.email, str(user_a.pk)):
        for key in (f"{org_a.pk}:{guess}", guess, f"installation:{guess}"):
            usage = throttle._usage(request, action, "account", key, rate, increment=False)
            assert usage["count"] == 0, key
