"""120 requests a minute per address, then 429 with Retry-After, on the shared cache."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]


def test_the_default_limit_is_120_a_minute(org_a):
    from civitas.accounts.throttle import DEFAULT_RATES

    assert DEFAULT_RATES["api"] == ("120/m", None)


def test_over_the_limit_the_answer_is_429_json_with_retry_after(org_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"api": ("3/m", None)}
    client = Client(HTTP_HOST=org_a.host)
    assert [client.get("/api/v1/organization/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/spaces/")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Per address: another client address still gets answers.
    other = Client(HTTP_HOST=org_a.host, REMOTE_ADDR="192.0.2.10")
    assert other.get("/api/v1/organization/").status_code == 200
    # Refused requests count too: hammering does not shorten the wait.
    assert client.get("/api/v1/organization/").status_code == 429


@pytest.mark.parametrize("address", ["", "not-an-address"])
def test_a_request_without_a_readable_address_is_counted_not_crashed(org_a, settings, address):
    # A WSGI server on a Unix socket gives no REMOTE_ADDR: one shared bucket, no server error.
    settings.CIVITAS_RATE_LIMITS = {"api": ("2/m", None)}
    client = Client(HTTP_HOST=org_a.host, REMOTE_ADDR=address)
    assert [client.get("/api/v1/organization/").status_code for _ in range(3)] == [200, 200, 429]


def test_client_ip_trusts_only_a_readable_last_forwarded_entry(settings):
    from django.test import RequestFactory

    from civitas.accounts.throttle import UNKNOWN_ADDRESS, client_ip

    settings.CIVITAS_BEHIND_PROXY = True
    factory = RequestFactory()
    forged = factory.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7", REMOTE_ADDR="10.0.0.2")
    assert client_ip(forged) == "203.0.113.7"
    garbage = factory.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, nonsense", REMOTE_ADDR="10.0.0.2")
    assert client_ip(garbage) == "10.0.0.2"
    assert client_ip(factory.get("/", REMOTE_ADDR="")) == UNKNOWN_ADDRESS
    settings.CIVITAS_BEHIND_PROXY = False
    assert client_ip(forged) == "10.0.0.2"
