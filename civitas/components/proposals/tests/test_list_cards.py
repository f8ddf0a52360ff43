"""Logged-in readers get the list's cards from a cache shared by all, never stale, with
their own support buttons rendered for them alone."""

import re

import pytest
from django.test import Client
from django.utils import translation

from civitas.components.proposals import services
from civitas.components.proposals.models import CustomState, Proposal
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _publish(author, component, title):
    proposal = services.do_create_draft(
        user=author, component=component, title=title, body="Un texte assez long pour être publié."
    )
    services.do_publish(proposal=proposal, user=author)
    return proposal


def _reader(user):
    client = Client(HTTP_HOST="commune-a.test")
    client.force_login(user)
    return client


def _get_list(client, component):
    response = client.get(component.get_absolute_url(), {"order": "recent"})
    assert response.status_code == 200
    return response


def _rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_cards_are_rendered_once_for_every_reader(participant, proposals_component, org_a):
    for index in range(3):
        _publish(participant, proposals_component, f"Des arceaux vélo numéro {index}")
    first = _get_list(_reader(participant), proposals_component)
    assert "proposals/_card.html" in _rendered(first)
    other = _get_list(_reader(UserFactory(organization=org_a)), proposals_component)
    assert not {"proposals/_card.html", "proposals/_state.html", "proposals/_support_count.html"} & _rendered(
        other
    )
    assert other.content.decode().count('class="proposal-title"') == 3


def test_each_reader_sees_their_own_supports_on_shared_cards(participant, proposals_component, org_a):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    supporter, other = UserFactory(organization=org_a), UserFactory(organization=org_a)
    services.do_support(proposal=proposal, user=supporter)
    mine = _get_list(_reader(supporter), proposals_component).content.decode()
    theirs = _get_list(_reader(other), proposals_component).content.decode()
    assert 'aria-pressed="true"' in mine and 'aria-pressed="true"' not in theirs
    assert 'aria-pressed="false"' in theirs
    for html in (mine, theirs):
        assert '<p class="support-count"><strong>1</strong>' in html


def test_cards_follow_every_change_they_show(participant, proposals_component, org_a, admin_a):
    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    reader = _reader(UserFactory(organization=org_a))
    _get_list(reader, proposals_component)

    services.do_support(proposal=proposal, user=UserFactory(organization=org_a))
    assert (
        '<p class="support-count"><strong>1</strong>'
        in _get_list(reader, proposals_component).content.decode()
    )

    Proposal.objects.filter(pk=proposal.pk).update(comment_count=7)  # counters move without a save()
    assert "7 commentaires" in _get_list(reader, proposals_component).content.decode()

    participant.name = "Paulette Nouvelle"
    participant.nickname = "paulette"
    participant.save()
    assert participant.public_name in _get_list(reader, proposals_component).content.decode()

    state = CustomState.objects.create(component=proposals_component, name="Étudiée en conseil")
    Proposal.objects.filter(pk=proposal.pk).update(custom_state=state)
    assert "Étudiée en conseil" in _get_list(reader, proposals_component).content.decode()
    CustomState.objects.filter(pk=state.pk).update(name="Votée en conseil")
    assert "Votée en conseil" in _get_list(reader, proposals_component).content.decode()

    proposal.title = "Des arceaux vélo et des bancs"
    proposal.save()
    assert "Des arceaux vélo et des bancs" in _get_list(reader, proposals_component).content.decode()


def _number_shown(counter: int) -> str:
    with translation.override("fr"):
        text = translation.ngettext("%(counter)s proposal", "%(counter)s proposals", counter)
    return text % {"counter": counter}


def test_the_number_of_proposals_is_never_stale(participant, proposals_component, org_a):
    reader = _reader(UserFactory(organization=org_a))
    first = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    assert _number_shown(1) in _get_list(reader, proposals_component).content.decode()
    _publish(participant, proposals_component, "Un marché de producteurs le samedi")
    assert _number_shown(2) in _get_list(reader, proposals_component).content.decode()
    services.do_withdraw(proposal=first, user=participant)
    assert _number_shown(1) in _get_list(reader, proposals_component).content.decode()
    mine = _reader(participant).get(
        proposals_component.get_absolute_url(), {"mine": "1", "state": "withdrawn"}
    )
    theirs = reader.get(proposals_component.get_absolute_url(), {"mine": "1", "state": "withdrawn"})
    assert _number_shown(1) in mine.content.decode() and _number_shown(0) in theirs.content.decode()


def test_the_order_follows_supports_at_once(participant, proposals_component, org_a):
    older = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    newer = _publish(participant, proposals_component, "Un marché de producteurs le samedi")
    reader = _reader(UserFactory(organization=org_a))

    def titles():
        response = reader.get(proposals_component.get_absolute_url(), {"order": "most_supported"})
        return re.findall(r'class="proposal-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())

    assert titles() == [newer.title, older.title]  # no support yet: the most recent first
    services.do_support(proposal=older, user=UserFactory(organization=org_a))
    assert titles() == [older.title, newer.title]


def test_unread_notifications_are_counted_once_per_page(participant, proposals_component):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    reader = _reader(participant)
    with CaptureQueriesContext(connection) as queries:
        _get_list(reader, proposals_component)
    assert sum('"notifications_notification"' in query["sql"] for query in queries) == 1


def test_the_support_address_is_the_one_the_urls_resolve(participant, proposals_component):
    from django.urls import reverse

    proposal = _publish(participant, proposals_component, "Des arceaux vélo devant la mairie")
    space = proposals_component.space
    assert proposal.get_support_url() == reverse(
        "proposals:support",
        kwargs={"space_slug": space.slug, "component_id": proposals_component.pk, "proposal_id": proposal.pk},
    )
    html = _get_list(_reader(participant), proposals_component).content.decode()
    assert f'action="{proposal.get_support_url()}"' in html
