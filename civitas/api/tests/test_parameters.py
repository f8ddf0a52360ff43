"""Filters, pagination, methods and cache headers of the API."""

import pytest
from django.test import Client

from civitas.api.tests.helpers import get_json

pytestmark = pytest.mark.django_db


def _ids(body) -> list[int]:
    return [item["id"] for item in body["results"]]


def test_filters_narrow_the_lists(world, api):
    proposal, withdrawn = world["proposal"], world["withdrawn"]
    assert _ids(get_json(api, "/api/v1/proposals/")) == [proposal.pk]
    assert _ids(get_json(api, "/api/v1/proposals/", {"state": "withdrawn"})) == [withdrawn.pk]
    assert _ids(get_json(api, "/api/v1/proposals/", {"state": "rejected"})) == []
    assert _ids(get_json(api, "/api/v1/proposals/", {"tag": world["tag"].pk})) == [proposal.pk]
    assert _ids(get_json(api, "/api/v1/proposals/", {"space": world["space"].pk})) == [proposal.pk]
    assert _ids(get_json(api, "/api/v1/proposals/", {"component": world["meetings"].pk})) == []
    # A private space's id filters to nothing: it is not an oracle of what exists there.
    assert _ids(get_json(api, "/api/v1/proposals/", {"space": world["private_space"].pk})) == []
    meetings = get_json(api, "/api/v1/meetings/", {"component": world["meetings"].pk})
    assert _ids(meetings) == [world["meeting"].pk, world["guarded_meeting"].pk]
    types = {item["type"] for item in get_json(api, "/api/v1/components/", {"type": "debates"})["results"]}
    assert types == {"debates"}
    assert len(get_json(api, "/api/v1/spaces/", {"kind": "assembly"})["results"]) == 0


def test_updated_since_takes_dates_and_times_with_or_without_zone(world, api):
    from django.utils import timezone

    later = (timezone.now() + timezone.timedelta(hours=1)).isoformat()
    assert len(get_json(api, "/api/v1/proposals/", {"updated_since": later})["results"]) == 0
    assert len(get_json(api, "/api/v1/proposals/", {"updated_since": "2020-01-01"})["results"]) == 1
    assert len(get_json(api, "/api/v1/proposals/", {"updated_since": "2020-01-01T10:00:00"})["results"]) == 1
    # An unencoded "+" of the time zone arrives as a space; it is read as meant.
    assert api.get("/api/v1/meetings/?updated_since=2020-01-01T10:00:00+02:00").status_code == 200
    # ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59): read in UTC, they work too.
    assert (
        len(get_json(api, "/api/v1/proposals/", {"updated_since": "2020-01-01T10:00:00-20:39"})["results"])
        == 1
    )
    thread = f"/api/v1/proposals/{world['proposal'].pk}/comments/"
    assert len(get_json(api, thread, {"updated_since": later})["results"]) == 0


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/api/v1/proposals/", {"space": "abc"}, "space"),
        ("/api/v1/proposals/", {"component": "-3"}, "component"),
        ("/api/v1/proposals/", {"tag": "1.5"}, "tag"),
        ("/api/v1/proposals/", {"state": "secret"}, "state"),
        ("/api/v1/proposals/", {"updated_since": "yesterday"}, "updated_since"),
        ("/api/v1/proposals/", {"updated_since": "2026-13-40"}, "updated_since"),
        ("/api/v1/meetings/", {"updated_since": "0001-01-01T00:00:00+23:59"}, "updated_since"),
        ("/api/v1/spaces/", {"kind": "club"}, "kind"),
        ("/api/v1/components/", {"type": "nothing"}, "type"),
        ("/api/v1/debates/", {"cursor": "0"}, "cursor"),
        ("/api/v1/debates/", {"cursor": "WyJhIiwgWzEsIDJdXQ"}, "cursor"),  # two values for one field
        ("/api/v1/meetings/", {"cursor": "WyJhIiwgWyJoaWVyIiwgMV1d"}, "cursor"),  # ["hier", 1]
        ("/api/v1/debates/", {"page_size": "101"}, "page_size"),
        ("/api/v1/surveys/", {"space": "²"}, "space"),
        ("/api/v1/spaces/", {"cursor": "9" * 30}, "cursor"),
    ],
)
def test_a_bad_parameter_gets_400_naming_it(world, api, path, params, name):
    body = get_json(api, path, params, status=400)
    assert body["error"]["code"] == "bad_parameter"
    assert f"« {name} »" in body["error"]["message"]


def test_pages_link_to_each_other_in_a_stable_order(world, api):
    first = get_json(api, "/api/v1/meetings/", {"page_size": 1})
    assert first["previous"] is None and "count" not in first
    assert first["next"].startswith("http://commune-a.test/api/v1/meetings/?page_size=1&cursor=")
    second = get_json(api, first["next"].removeprefix("http://commune-a.test"))
    assert second["next"] is None
    assert _ids(first) + _ids(second) == [world["meeting"].pk, world["guarded_meeting"].pk]
    assert get_json(api, second["previous"].removeprefix("http://commune-a.test")) == first
    assert get_json(api, "/api/v1/meetings/", {"page_size": 1}) == first
    # An empty list still has its first page.
    assert get_json(api, "/api/v1/proposals/", {"state": "rejected"})["results"] == []


def test_the_api_is_read_only(world, org_a):
    client = Client(HTTP_HOST=org_a.host)  # as if the CSRF token were right
    client.force_login(world["admin"])
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/proposals/{world['proposal'].pk}/")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
        assert response.json()["error"]["code"] == "method_not_allowed"
    assert client.head("/api/v1/proposals/").status_code == 200
    # Without the token, the CSRF middleware refuses first, as on every route.
    forged = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    forged.force_login(world["admin"])
    assert forged.post(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 403


def test_cache_headers_say_who_may_keep_the_answer(world, org_a, api):
    anonymous = api.get("/api/v1/proposals/")
    assert anonymous["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in anonymous["Vary"]
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(world["member"])
    assert client.get("/api/v1/proposals/")["Cache-Control"] == "private, no-cache"
    assert api.get("/api/v1/proposals/999999/")["Cache-Control"] == "no-store"


def test_another_host_gets_its_own_organization(world, org_b):
    other = Client(HTTP_HOST=org_b.host)
    assert get_json(other, "/api/v1/organization/")["name"] == org_b.name
    assert len(get_json(other, "/api/v1/proposals/")["results"]) == 0
    get_json(other, f"/api/v1/proposals/{world['proposal'].pk}/", status=404)
    assert Client(HTTP_HOST="unknown.test").get("/api/v1/proposals/").status_code == 404


def test_unknown_addresses_under_the_api_get_its_json_404(org_a, api):
    for path in ("/api/v1/nothing/", "/api/v1/spaces/abc/", "/api/v1/proposals/1/votes/"):
        body = get_json(api, path, status=404)
        assert body["error"]["code"] == "not_found"
    # Without the final slash, the usual redirect to the address with it.
    assert api.get("/api/v1/spaces").status_code == 301


def test_an_unchanged_answer_is_not_sent_again(world, api):
    first = api.get("/api/v1/proposals/")
    again = api.get("/api/v1/proposals/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    from civitas.components.proposals.answers import do_save_answer

    do_save_answer(
        proposal=world["proposal"],
        user=world["admin"],
        data={"answer_state": "accepted", "answer": "Changée"},
        publish=True,
    )
    assert api.get("/api/v1/proposals/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
