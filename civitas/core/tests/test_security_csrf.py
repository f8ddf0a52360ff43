"""No state-changing request is accepted without its CSRF token, on any route."""

import pytest
from django.test import Client

from civitas.testing.security import all_routes, fill_route, route_values

pytestmark = [pytest.mark.django_db, pytest.mark.security("CSRF")]

# Routes that take a POST from other sites on purpose, each with what proves the request.
CSRF_EXEMPT: set[str] = {
    # RFC 8058 one-click unsubscribe: mail clients POST from outside any session; the signed
    # per-person token in the address is the proof (civitas/newsletters/tests/test_sending.py).
    "newsletters/unsubscribe/<str:token>/",
}


def test_every_route_refuses_a_post_without_its_token(world_b, security_cases):
    organization = world_b["organization"]
    client = Client(HTTP_HOST=organization.host, enforce_csrf_checks=True)
    admin = organization.users.filter(is_organization_admin=True).first()
    client.force_login(admin)
    refused = []
    for route in all_routes():
        if route in CSRF_EXEMPT:
            continue
        path, _names_b = fill_route(route, route_values(world_b, route))
        response = client.post(path, {"title": "forged", "body": "forged"})
        security_cases.add()
        assert response.status_code in (403, 404), (
            f"POST {path} without a CSRF token answered {response.status_code}"
        )
        if response.status_code == 403:
            refused.append(path)
    # 404 only where the path itself does not resolve (none should): the middleware refuses first.
    assert len(refused) == len(all_routes()) - len(CSRF_EXEMPT)


def test_a_token_from_another_session_is_refused(world_b, security_cases):
    organization = world_b["organization"]
    attacker = Client(HTTP_HOST=organization.host, enforce_csrf_checks=True)
    attacker.get("/accounts/login/")
    stolen = attacker.cookies["csrftoken"].value
    victim = Client(HTTP_HOST=organization.host, enforce_csrf_checks=True)
    victim.force_login(world_b["author"])
    path = world_b["proposal"].get_absolute_url() + "support/"
    response = victim.post(path, {"csrfmiddlewaretoken": stolen, "action": "support"})
    assert response.status_code == 403
    assert not world_b["proposal"].supports.exists()
