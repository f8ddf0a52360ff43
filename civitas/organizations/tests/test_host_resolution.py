import pytest
from django.test import Client

from civitas.organizations.models import SecondaryHost

pytestmark = pytest.mark.django_db


def test_main_host_serves_its_organization(client_a, org_a):
    response = client_a.get("/")
    assert response.status_code == 200
    assert "Commune A" in response.content.decode()


def test_host_is_matched_without_case_port_or_trailing_dot(org_a):
    for host in ("COMMUNE-A.test", "commune-a.test:8000", "commune-a.test."):
        response = Client(HTTP_HOST=host).get("/")
        assert response.status_code == 200, host
        assert "Commune A" in response.content.decode()


def test_secondary_host_redirects_to_main_host_keeping_path_and_port(org_a):
    SecondaryHost.objects.create(organization=org_a, host="www.commune-a.test")
    response = Client(HTTP_HOST="www.commune-a.test:8000").get("/accounts/login/?next=/x")
    assert response.status_code == 301
    assert response["Location"] == "http://commune-a.test:8000/accounts/login/?next=/x"


def test_unknown_host_gets_a_plain_404_without_any_organization(org_a, org_b):
    response = Client(HTTP_HOST="unknown.test").get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Commune A" not in body and "Commune B" not in body
    assert "Aucune plateforme" in body


@pytest.mark.parametrize("path", ["/accounts/login/", "/profiles/alice/", "/admin/", "/theme.css"])
def test_unknown_host_never_reaches_views(org_a, user_a, path):
    response = Client(HTTP_HOST="evil.example").get(path)
    assert response.status_code == 404
    assert b"alice" not in response.content


@pytest.mark.parametrize("host", ["bad host", "commune-a.test@evil", "a..b", "-x.test", "[::1"])
def test_malformed_host_is_refused(org_a, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code in (400, 404)
    assert b"Commune A" not in response.content


def test_health_check_answers_whatever_the_host(db):
    assert Client(HTTP_HOST="10.0.0.5").get("/healthz").status_code == 200


def test_a_participant_request_finds_its_organization_with_the_account(org_a, user_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="commune-a.test")
    client.force_login(user_a)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.wsgi_request.organization == org_a and response.wsgi_request.user == user_a
    assert not [query for query in queries if '"organizations_organization"."host" =' in query["sql"]]


def test_an_account_on_another_organizations_host_gets_that_host_and_no_session(org_a, org_b, user_a):
    """The account's organization is used only when it is the one the host serves."""
    client = Client(HTTP_HOST="commune-b.test")
    client.force_login(user_a)
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.organization == org_b
    assert not response.wsgi_request.user.is_authenticated
    assert "Commune B" in response.content.decode() and "Alice" not in response.content.decode()


def test_an_account_whose_organization_moved_host_is_not_served_on_the_old_host(org_a, user_a):
    client = Client(HTTP_HOST="commune-a.test")
    client.force_login(user_a)
    org_a.host = "nouvelle-commune-a.test"
    org_a.save()
    assert client.get("/").status_code == 404
    moved = Client(HTTP_HOST="nouvelle-commune-a.test")
    moved.force_login(user_a)
    response = moved.get("/")
    assert response.status_code == 200 and response.wsgi_request.organization == org_a
