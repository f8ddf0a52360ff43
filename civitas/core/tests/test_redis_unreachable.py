"""Redis out of reach gives every kind of request the 503 page that says so, never a 500.

The caches point at a port where nothing listens, as when Redis is down or cut off from
this web server; the requests are the kinds that touch it first: an anonymous page (the
page cache), a log-in (its rate limits) and a logged-in page.
"""

import pytest
from django.test import Client, override_settings

from civitas.core.errors import cache_unavailable
from civitas.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"
REDIS_DOWN = {
    alias: {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": NOBODY_LISTENS}
    for alias in ("default", "shared", "pages")
}


def _assert_redis_page(response):
    assert response.status_code == 503, response.status_code
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page and "il a pu être enregistré ou non" in page


def test_every_kind_of_request_gets_the_503_page_while_redis_is_out_of_reach(org_a, user_a):
    logged_in = Client(HTTP_HOST=org_a.host, raise_request_exception=False)
    logged_in.force_login(user_a)  # before the outage: the session is in the database
    anonymous = Client(HTTP_HOST=org_a.host, raise_request_exception=False)
    with override_settings(CACHES=REDIS_DOWN):
        for path in ("/", "/spaces/", "/search/?q=banc", "/accounts/login/"):
            _assert_redis_page(anonymous.get(path))
        _assert_redis_page(anonymous.post("/accounts/login/", {"username": user_a.email, "password": "x"}))
        _assert_redis_page(logged_in.get("/notifications/"))
        # The API answers in its own shape; the load balancer's check says which part fails.
        api = anonymous.get("/api/v1/proposals/", HTTP_ACCEPT="application/json")
        assert api.status_code == 503 and api["Retry-After"] == "60"
        assert api.json()["error"]["code"] == "unavailable"
        health = anonymous.get("/healthz")
        assert health.status_code == 503 and health.json() == {"status": "unavailable", "failing": ["cache"]}
    # Back: the same clients are served again.
    assert anonymous.get("/").status_code == 200
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    assert anonymous.head("/healthz").status_code == 200  # monitors that ask with HEAD
    assert logged_in.get("/notifications/").status_code == 200
    assert anonymous.post(
        "/accounts/login/", {"username": user_a.email, "password": DEFAULT_PASSWORD}
    ).status_code in (200, 302)


def test_only_an_unreachable_redis_counts_as_one():
    from redis.exceptions import ConnectionError, InvalidResponse, ResponseError, TimeoutError

    assert cache_unavailable(ConnectionError("Error 111 connecting")) and cache_unavailable(TimeoutError())
    assert cache_unavailable(InvalidResponse("Protocol Error: H, b'TTP/1.1 400'"))  # not Redis there
    assert not cache_unavailable(ResponseError("WRONGTYPE")) and not cache_unavailable(ValueError())
