"""Every action on amendments × its per-phase switch × every role.

What counts is the effect, not the answer's code: an action allowed to a role changes the
data; refused, it changes nothing (whatever page explains why).
"""

import pytest
from django.test import Client

from civitas.amendments import services
from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.components.proposals.models import Proposal
from civitas.testing.factories import UserFactory
from civitas.versions.services import latest_version

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "amender", "author", "space_admin", "other_organization")


@pytest.fixture
def clients(world, org_b):
    people = {
        "participant": world.participant,
        "amender": world.amender,
        "author": world.author,
        "space_admin": world.space_admin,
        # Logged in on its own organization; its session is worth nothing on this host.
        "other_organization": UserFactory(organization=org_b, nickname="ailleurs"),
    }
    result = {"anonymous": Client(HTTP_HOST=world.org.host)}
    for role, user in people.items():
        client = Client(HTTP_HOST=world.org.host)
        client.force_login(user)
        result[role] = client
    return result


def _amendment(world, **changes):
    amendment = services.do_create(
        user=world.amender,
        target=world.proposal,
        fields={"title": "Des bancs et une fontaine", "body": "<p>Douze bancs et une fontaine.</p>"},
        base_version=latest_version(world.proposal).number,
    )
    if changes:
        Amendment.objects.filter(pk=amendment.pk).update(**changes)
        amendment.refresh_from_db()
    return amendment


def _who_can(clients, act) -> set[str]:
    return {role for role in ROLES if act(role, clients[role])}


def test_writing_an_amendment(world, clients):
    def act(role, client):
        before = Amendment.objects.count()
        client.post(
            f"/amendments/new/proposals.proposal/{world.proposal.pk}/",
            {
                "title": f"Des bancs, version de {role}",
                "body": "<p>Douze bancs à l’ombre des tilleuls.</p>",
                "base_version": latest_version(world.proposal).number,
            },
        )
        return Amendment.objects.count() > before

    assert _who_can(clients, act) == {"participant", "amender", "space_admin"}
    world.configure(amendments_enabled=False)
    assert _who_can(clients, act) == set()


def test_supporting_an_amendment(world, clients):
    amendment = _amendment(world)

    def act(role, client):
        client.post(f"/amendments/{amendment.pk}/support/")
        supported = AmendmentSupport.objects.filter(amendment=amendment).exists()
        AmendmentSupport.objects.all().delete()
        return supported

    assert _who_can(clients, act) == {"participant", "author", "space_admin"}
    world.configure(amendment_reactions_enabled=False)
    assert _who_can(clients, act) == set()


def test_accepting_and_rejecting(world, clients):
    def accepts(role, client):
        amendment = _amendment(world, title=f"Des bancs, {role} décide")
        client.post(f"/amendments/{amendment.pk}/accept/", {"confirm_act": "1"})
        amendment.refresh_from_db()
        return amendment.state == "accepted"

    def rejects(role, client):
        amendment = _amendment(world)
        client.post(f"/amendments/{amendment.pk}/reject/", {"reason": "Non."})
        amendment.refresh_from_db()
        return amendment.state == "rejected"

    assert _who_can(clients, accepts) == {"author"}
    assert _who_can(clients, rejects) == {"author"}
    # Deciding is not a phase's switch: the author still answers what was sent before.
    waiting = {role: _amendment(world) for role in ROLES}
    world.configure(amendments_enabled=False, amendment_reactions_enabled=False)

    def rejects_earlier(role, client):
        client.post(f"/amendments/{waiting[role].pk}/reject/", {"reason": "Non."})
        waiting[role].refresh_from_db()
        return waiting[role].state == "rejected"

    assert _who_can(clients, rejects_earlier) == {"author"}


def test_editing_and_withdrawing(world, clients):
    def edits(role, client):
        amendment = _amendment(world)
        client.post(
            f"/amendments/{amendment.pk}/edit/",
            {
                "title": f"Modifié par {role}",
                "body": "<p>Douze bancs et une fontaine.</p>",
                "base_version": 1,
            },
        )
        amendment.refresh_from_db()
        return amendment.title.startswith("Modifié")

    def withdraws(role, client):
        amendment = _amendment(world)
        client.post(f"/amendments/{amendment.pk}/withdraw/", {"confirm_delete": "1"})
        amendment.refresh_from_db()
        return amendment.state == "withdrawn"

    assert _who_can(clients, edits) == {"amender"}
    assert _who_can(clients, withdraws) == {"amender"}


def test_promoting_a_rejected_amendment(world, clients):
    def act(role, client):
        amendment = _amendment(world, state="rejected")
        client.post(f"/amendments/{amendment.pk}/promote/")
        amendment.refresh_from_db()
        return amendment.promoted_id is not None

    assert _who_can(clients, act) == {"amender"}
    world.configure(amendment_promotion_enabled=False)
    count = Proposal.objects.count()
    assert _who_can(clients, act) == set()
    assert Proposal.objects.count() == count


def test_reading_an_amendment_and_its_history(world, clients):
    amendment = _amendment(world)

    def reads(role, client):
        page = client.get(amendment.get_absolute_url()).status_code == 200
        history = client.get(f"/history/amendments.amendment/{amendment.pk}/").status_code == 200
        assert page == history, role
        return page

    # Another organization's account is nobody here: it reads what anonymous visitors read.
    assert _who_can(clients, reads) == set(ROLES)
    assert Client(HTTP_HOST="commune-b.test").get(amendment.get_absolute_url()).status_code == 404


def test_the_amend_button_follows_the_phase_and_the_role(world, clients):
    url = world.proposal.get_absolute_url()
    new = f"/amendments/new/proposals.proposal/{world.proposal.pk}/"
    assert new in clients["participant"].get(url).content.decode()
    assert new not in clients["author"].get(url).content.decode()
    assert "/accounts/login/" in clients["anonymous"].get(url).content.decode()
    world.configure(amendments_enabled=False)
    assert new not in clients["participant"].get(url).content.decode()
