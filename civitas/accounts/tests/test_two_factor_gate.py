"""When an organization requires a second factor, no power is usable without one.

The walk requests every URL of the platform (component admin URLs included), with GET
and with POST, three times: as a participant without any role, as the power-holder in a
session verified with a code, and as the same power-holder in a session that gave no
code. A route and method is a power when the verified session succeeds where the
participant does not; the unverified session must then fail too. Each request runs in a
transaction rolled back afterwards, so one route's action does not change the next.
"""

import copy

import pytest
from django.db import transaction
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.security import all_routes, build_world_b, fill_route, route_values

pytestmark = [pytest.mark.django_db, pytest.mark.security("two-factor gate")]

REFUSAL_PLACES = ("/accounts/login/", "/accounts/settings/two-factor/")
# What the review did without a second factor, each of which the walk must find a power.
REVIEWED_POWERS = {
    ("post", "open-data/rebuild/"),
    ("get", "spaces/<slug:space_slug>/surveys/<int:component_id>/results/"),
    ("get", "spaces/<slug:space_slug>/surveys/<int:component_id>/answers.jsonl"),
    ("get", "admin/spaces/<int:space_id>/components/<int:component_id>/surveys/export/"),
}


@pytest.fixture
def world(org_b, django_capture_on_commit_callbacks):
    from civitas.components.surveys import services as survey_services
    from civitas.components.surveys.models import Survey

    with django_capture_on_commit_callbacks(execute=True):
        world = build_world_b(org_b)
        # Closed, results not published: what only admins may preview.
        survey = Survey.objects.get(component=world["components"]["surveys"])
        survey_services.do_close(survey=survey, user=world["author"])
    org_b.require_admin_two_factor = True
    org_b.save()
    return world


def _succeeded(response) -> bool:
    if 200 <= response.status_code < 300:
        return True
    location = response.get("Location", "")
    return 300 <= response.status_code < 400 and not location.startswith(REFUSAL_PLACES)


def _client(organization, user, *, verified: bool) -> Client:
    client = Client(HTTP_HOST=organization.host, raise_request_exception=False)
    client.force_login(user)
    if verified:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def _outcome(client, method: str, path: str) -> bool:
    # Log-out, account deletion and the like end the session: the rollback restores it
    # in the database, and the saved cookies in the client.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = getattr(client, method)(path)
        if response.streaming:
            b"".join(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return _succeeded(response)


def _walk(world, holders: dict, security_cases) -> tuple[dict, list]:
    """``holders``: for each power, two people holding it, the first with an app, the second without."""
    organization = world["organization"]
    participant = _client(organization, world["participant"], verified=False)
    clients = {
        power: (
            _client(organization, with_app, verified=True),
            _client(organization, without, verified=False),
        )
        for power, (with_app, without) in holders.items()
    }
    powers, leaks = {power: set() for power in holders}, []
    for route in all_routes():
        path, _names_b = fill_route(route, route_values(world, route))
        for method in ("get", "post"):
            if _outcome(participant, method, path):
                continue
            for power, (verified, unverified) in clients.items():
                if not _outcome(verified, method, path):
                    continue
                powers[power].add((method, route))
                security_cases.add()
                if _outcome(unverified, method, path):
                    leaks.append(f"{power}: {method.upper()} {path}")
    return powers, leaks


def test_no_power_is_usable_without_the_second_factor(world, org_b, security_cases):
    world["participant"] = UserFactory(organization=org_b, nickname="habitant")
    holders = {
        "organization admin": [
            UserFactory(organization=org_b, nickname=f"adjoint-{n}", is_organization_admin=True)
            for n in (1, 2)
        ]
    }
    for role in ("admin", "moderator", "evaluator"):
        holders[f"space {role}"] = [UserFactory(organization=org_b, nickname=f"{role}-{n}") for n in (1, 2)]
        for holder in holders[f"space {role}"]:
            do_grant_role(space=world["space"], user=world["author"], person=holder, role=role)
    powers, leaks = _walk(world, holders, security_cases)
    assert not leaks, "usable without a second factor:\n" + "\n".join(leaks)
    # The walk found the powers the review used, and many more: it tested something.
    assert not REVIEWED_POWERS - powers["organization admin"], REVIEWED_POWERS - powers["organization admin"]
    assert len(powers["organization admin"]) >= 100
    assert all(powers.values()), f"a role holds no power at all, the walk tested nothing: {powers}"
