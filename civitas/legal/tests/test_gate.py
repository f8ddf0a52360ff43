"""Newer terms are accepted before acting: every page but a few sends there, then back.

The pages are walked from the URL conf, not listed: every route, its parameters filled
with any well-formed value (the gate answers before the view looks anything up), read
with GET and sent a POST by a participant who has not accepted the newest version.
Only the pages named in ``OPEN`` below (with their reasons) answer without the gate.
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civitas.accounts.models import User
from civitas.legal import services
from civitas.legal.models import TermsAcceptance
from civitas.legal.tests.conftest import publish
from civitas.testing.factories import UserFactory
from civitas.testing.security import all_routes

pytestmark = pytest.mark.django_db
ACCEPT = "/terms/accept/"

# Path prefixes that stay open, and why: written here, not taken from the middleware.
OPEN = {
    "/terms/": "reading the terms (the current and earlier versions) and accepting them",
    "/help/": "the help pages",
    "/accounts/logout/": "leaving instead",
    "/accounts/settings/delete/": "deleting one's account rather than accepting",
    "/accounts/settings/my-data/": "taking one's data away rather than accepting",
    "/i18n/setlang/": "reading the new terms in one's language",
    "/api/": "machine access with tokens, no session",
    "/healthz": "load-balancer health checks",
    "/media/": "files (their own access checks)",
    "/theme.css": "the organization's colours, which the terms page needs too",
    "/favicon.ico": "a file",
    "/robots.txt": "a file",
    "/system/": "the installation's panel: only system admins (of no organization) are logged in there",
}


def _fill(route: str) -> str:
    def value(match):
        converter = match.group(1) or "str"
        values = {"int": "7", "uuid": "00000000-0000-0000-0000-000000000007", "path": "x/y"}
        return values.get(converter, "x7")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route).replace("^", "").replace("$", "")


def _paths() -> list[str]:
    paths = sorted({_fill(route) for route in all_routes()})
    assert len(paths) > 150 and "/spaces/" in paths and "/admin/legal/help/7/delete/" in paths
    return paths


def _is_open(path: str) -> bool:
    return path.startswith(tuple(OPEN))


@pytest.fixture
def behind(org_a, admin_a, participant, participant_client):
    """The participant accepted version 1; version 2 is out."""
    first = publish(org_a, admin_a, "v1")
    services.do_accept_terms(user=participant, version=first)
    assert participant_client.get("/spaces/").status_code == 200
    publish(org_a, admin_a, "v2", summary="Les propositions anonymes ne sont plus permises.")
    return participant_client


def test_every_page_but_the_open_ones_sends_to_the_new_terms_on_get_and_post(behind):
    wrong = []
    for path in _paths():
        if path in ("/accounts/logout/", "/system/logout/"):  # open, and would end the walk
            continue
        get = behind.get(path)
        post = behind.post(path, {"anything": "1"}, HTTP_REFERER="http://commune-a.test/spaces/")
        sent_on_get = get.status_code == 302 and get["Location"].startswith(ACCEPT)
        sent_on_post = post.status_code == 303 and post["Location"].startswith(ACCEPT)
        if _is_open(path):
            sent = sent_on_get or (post.status_code in (302, 303) and post["Location"].startswith(ACCEPT))
            if sent and not path.startswith(ACCEPT):
                wrong.append(f"{path}: open, yet sent to the terms")
        elif not (sent_on_get and sent_on_post):
            wrong.append(f"{path}: GET {get.status_code} {get.get('Location')}, POST {post.status_code}")
        elif get["Location"] != f"{ACCEPT}?next={_quoted(path)}":
            wrong.append(f"{path}: comes back to {get['Location']}")
    assert not wrong, "\n".join(wrong)


def _quoted(path):
    from urllib.parse import quote

    return quote(path, safe="/")


def test_a_post_does_nothing_and_comes_back_to_the_page_it_came_from(behind, participant):
    response = behind.post(
        "/accounts/settings/",
        {"name": "Nouveau nom", "nickname": "paul", "locale": "fr"},
        HTTP_REFERER="http://commune-a.test/accounts/settings/",
    )
    assert response.status_code == 303
    assert response["Location"] == "/terms/accept/?next=http%3A//commune-a.test/accounts/settings/"
    participant.refresh_from_db()
    assert participant.name == "Paul Martin"
    # A referer from another site is not kept.
    response = behind.post("/accounts/settings/", {}, HTTP_REFERER="https://ailleurs.example/")
    assert response["Location"] == ACCEPT


def test_accepting_records_it_and_goes_back(behind, participant):
    response = behind.get("/spaces/?page=2")
    assert response["Location"] == "/terms/accept/?next=/spaces/%3Fpage%3D2"
    page = behind.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Les propositions anonymes ne sont plus permises." in text and "Les règles du jeu v2" in text
    assert 'href="/accounts/settings/delete/"' in text and 'href="/accounts/settings/my-data/"' in text
    assert 'name="next" value="/spaces/?page=2"' in text
    response = behind.post(ACCEPT, {"next": "/spaces/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/spaces/?page=2"
    accepted = TermsAcceptance.objects.filter(user=participant).values_list("version__number", flat=True)
    assert sorted(accepted) == [1, 2]
    assert behind.get("/spaces/").status_code == 200
    # Nothing more to accept: the page sends straight on.
    assert behind.get(ACCEPT + "?next=/spaces/")["Location"] == "/spaces/"


@pytest.mark.parametrize(
    "target",
    [
        "https://ailleurs.example/",
        "//ailleurs.example/x",
        "http://commune-b.test/",
        "javascript:alert(1)",
        "///x",
    ],
)
def test_next_stays_on_this_site(behind, target):
    page = behind.get(ACCEPT, {"next": target}).content.decode()
    assert '<input type="hidden" name="next"' not in page
    response = behind.post(ACCEPT, {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_open_pages_stay_open(behind):
    assert behind.get("/terms/").status_code == 200
    assert behind.get("/terms/versions/1/").status_code == 200
    assert behind.get("/help/").status_code == 200
    assert behind.get("/accounts/settings/my-data/").status_code == 200
    assert behind.post("/accounts/settings/my-data/")["Content-Type"] == "application/zip"
    assert behind.get("/accounts/settings/delete/").status_code == 200
    assert behind.get("/healthz").status_code == 200
    assert behind.get("/api/v1/").status_code == 200
    response = behind.post("/accounts/logout/")
    assert response.status_code == 302 and not response["Location"].startswith(ACCEPT)


def test_a_new_version_reaches_a_session_that_had_accepted_the_previous_one(org_a, admin_a, participant):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(participant)
    first = publish(org_a, admin_a, "v1")
    assert client.get("/spaces/")["Location"].startswith(ACCEPT)  # the cached number moved on publish
    services.do_accept_terms(user=participant, version=first)
    assert client.get("/spaces/").status_code == 200
    assert client.session[services.ACCEPTED_SESSION_KEY] == 1
    facts_before = services.site_facts(org_a)
    publish(org_a, admin_a, "v2")
    org_a.refresh_from_db()
    assert facts_before["terms"] == 1 and services.site_facts(org_a)["terms"] == 2
    assert client.get("/spaces/")["Location"].startswith(ACCEPT)


def test_admins_are_asked_too_but_not_the_one_who_published(org_a, admin_a):
    other_admin = UserFactory(organization=org_a, is_organization_admin=True)
    publish(org_a, admin_a, "v1")
    author, other = Client(HTTP_HOST=org_a.host), Client(HTTP_HOST=org_a.host)
    author.force_login(admin_a)
    other.force_login(other_admin)
    assert author.get("/admin/").status_code == 200
    assert other.get("/admin/")["Location"] == "/terms/accept/?next=/admin/"


def test_system_admins_and_visitors_are_not_asked(org_a, admin_a, client_a, settings):
    from civitas.legal.middleware import must_accept

    publish(org_a, admin_a, "v1")
    assert client_a.get("/spaces/").status_code == 200
    system_admin = User.objects.create(email="root@example.org", is_system_admin=True, organization=None)
    request = type("Request", (), {"user": system_admin, "organization": org_a, "session": {}})()
    assert must_accept(request) is False


def test_an_up_to_date_participant_costs_no_query_more(behind, participant, settings):
    behind.post(ACCEPT)
    behind.get("/spaces/")  # the first page after accepting fills the cache and the session

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert behind.get("/spaces/").status_code == 200
        return len(queries)

    with_gate = count()
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "TermsAcceptance" not in name]
    assert count() == with_gate
