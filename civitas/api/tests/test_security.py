"""Issue 10 on the API: other tenants' and other spaces' objects by id, SQL through every filter.

Organization B is built by ``civitas.testing.security.build_world_b``: one of everything,
each carrying ``MARKER``. Every API route is aimed at B's ids from A's host, by A's
admin, by A's participant and anonymously; nothing of B may come back.
"""

import re

import pytest
from django.test import Client

from civitas.api.openapi import OPERATIONS, operation_parameters
from civitas.api.tests.conftest import HIDDEN
from civitas.api.tests.helpers import get_json, hidden_paths
from civitas.core.tests.test_security_inputs import SQL_PAYLOADS
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.security import MARKER, all_routes, database_fingerprint, fill_route, route_values

pytestmark = [pytest.mark.django_db, pytest.mark.security("IDOR (API)")]


@pytest.fixture(autouse=True)
def _no_rate_limit_here(settings):
    # These tests send hundreds of requests from one address on purpose.
    settings.CIVITAS_RATE_LIMITS = {"api": ("100000/m", None)}


def _api_routes() -> list[str]:
    return [route for route in all_routes() if route.startswith("api/")]


def _filters_of_b(world_b) -> dict:
    return {
        "space": world_b["space"].pk,
        "component": world_b["components"]["proposals"].pk,
        "tag": world_b["space"].pk,
    }


@pytest.mark.parametrize("who", ["admin of A", "participant of A", "visitor"])
def test_no_api_route_shows_anything_of_another_organization(world_b, org_a, admin_a, who, security_cases):
    b_host = Client(HTTP_HOST=world_b["organization"].host)
    # The control: on B's host the same ids do show B's marker.
    assert MARKER in b_host.get(f"/api/v1/proposals/{world_b['proposal'].pk}/").content.decode()
    assert MARKER in b_host.get(f"/api/v1/comments/{world_b['comment'].pk}/").content.decode()
    client = Client(HTTP_HOST=org_a.host)
    if who == "admin of A":
        client.force_login(admin_a)
    elif who == "participant of A":
        client.force_login(UserFactory(organization=org_a))
    tried, named = 0, 0
    for route in _api_routes():
        path, names_b = fill_route(route, route_values(world_b, route))
        response = client.get(path, _filters_of_b(world_b))
        tried += 1
        security_cases.add()
        assert MARKER.encode() not in response.content, f"GET {path} shows B's content"
        if names_b:
            named += 1
            assert response.status_code == 404, f"GET {path} answered {response.status_code}"
    assert tried == len(_api_routes()) and named == 11


def test_a_space_admin_sees_no_other_private_space_of_the_organization(world):
    neighbour_admin = UserFactory(organization=world["organization"])
    do_grant_role(space=world["space"], user=world["admin"], person=neighbour_admin, role="admin")
    client = Client(HTTP_HOST=world["organization"].host)
    client.force_login(neighbour_admin)
    for path in hidden_paths(world):
        assert HIDDEN not in str(get_json(client, path, status=404)), path
    for path in ("/api/v1/spaces/", "/api/v1/proposals/", "/api/v1/components/"):
        assert HIDDEN not in client.get(path, {"page_size": 100}).content.decode(), path


def _query_parameters(world_b):
    """Each operation with query parameters, its path filled with B's ids, and their names."""
    for operation in OPERATIONS:
        names = [
            parameter.name for parameter in operation_parameters(operation) if parameter.where == "query"
        ]
        if names:
            values = route_values(world_b, operation.path)
            path = re.sub(
                r"\{(\w+)\}", lambda match, values=values: str(values[match.group(1)]), operation.path
            )
            yield path, names


@pytest.mark.security("SQL injection (API)")
def test_sql_payloads_through_every_filter_are_refused_and_change_nothing(world_b, org_b, security_cases):
    client = Client(HTTP_HOST=org_b.host)
    client.force_login(org_b.users.filter(is_organization_admin=True).first())
    before = database_fingerprint()
    tried = 0
    for path, names in _query_parameters(world_b):
        for name in names:
            for payload in SQL_PAYLOADS:
                response = client.get(path, {name: payload})
                tried += 1
                security_cases.add()
                assert response.status_code == 400, f"{path}?{name}={payload!r}: {response.status_code}"
                if "\x00" not in payload:  # NUL bytes are refused before any view, in plain text
                    assert response.json()["error"]["code"] == "bad_parameter"
    assert tried >= 20 * len(SQL_PAYLOADS)
    assert database_fingerprint() == before
    # The data is all still there and found as before.
    assert len(get_json(client, "/api/v1/proposals/")["results"]) == 1
