"""Every URL of the platform, aimed by organization A's admin at organization B's objects.

For each route, every id in the path is filled with the id of one of B's objects and the
route is requested on A's host by A's admin (the most powerful person there), with GET and
with POST. Nothing of B may show (B's objects carry marker strings that must never
appear in a response) and nothing in the database may change.

A route whose path takes a parameter this test does not know fails the test, so a new
component cannot add a URL without its cross-tenant check.
"""

import pytest
from django.test import Client

from civitas.spaces.services import do_create_space, do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.security import MARKER, all_routes, database_fingerprint, fill_route, route_values

pytestmark = [pytest.mark.django_db, pytest.mark.security("IDOR (pages)")]


def test_no_route_lets_an_admin_of_a_reach_into_b(world_b, org_a, admin_a, security_cases):
    # The control: B's own visitors do see the marker, so its absence below means something.
    assert (
        MARKER
        in Client(HTTP_HOST=world_b["organization"].host)
        .get(world_b["proposal"].get_absolute_url())
        .content.decode()
    )
    # Search finds B's proposal on B's host only (the query itself is echoed, so look for the link).
    link = world_b["proposal"].get_absolute_url()
    home = Client(HTTP_HOST=world_b["organization"].host)
    assert link in home.get("/search/", {"q": f"{MARKER} proposal"}).content.decode()
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    assert link not in client.get("/search/", {"q": f"{MARKER} proposal"}).content.decode()
    before = database_fingerprint()
    leaks, tried = [], 0
    for route in all_routes():
        path, names_b = fill_route(route, route_values(world_b, route))
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            tried += 1
            security_cases.add()
            body = b"".join(response) if response.streaming else response.content
            if MARKER.encode() in body:
                leaks.append(f"{method.upper()} {path}: shows B's content")
            if names_b and response.status_code == 200 and method == "post":
                leaks.append(f"POST {path}: accepted ({response.status_code})")
    assert not leaks, "\n".join(leaks)
    after = database_fingerprint()
    changed = [table for table in before if before[table] != after.get(table)]
    assert not changed, f"requests aimed at B changed {changed}"
    assert tried >= 2 * 90


def test_a_space_admin_cannot_administer_another_space_of_the_same_organization(
    world_b, org_b, security_cases
):
    """Same organization, another space: every back-office route of that space refuses."""
    neighbour = do_create_space(
        organization=org_b, user=world_b["author"], kind="process", title="Conseil de quartier"
    )
    space_admin = UserFactory(organization=org_b, nickname="voisine")
    do_grant_role(space=neighbour, user=world_b["author"], person=space_admin, role="admin")
    client = Client(HTTP_HOST=org_b.host)
    client.force_login(space_admin)
    before = database_fingerprint()
    refused = 0
    for route in all_routes():
        if not route.startswith("admin/spaces/<int:space_id>"):
            continue
        path, _names_b = fill_route(route, route_values(world_b, route))
        for method in ("get", "post"):
            status = getattr(client, method)(path).status_code
            assert status in (403, 404, 405), f"{method.upper()} {path} answered {status}"
            refused += 1
            security_cases.add()
    assert refused >= 20
    after = database_fingerprint()
    assert [table for table in before if before[table] != after.get(table)] == []
