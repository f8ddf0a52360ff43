"""A proposal's history: every saved edit is a version, readable where the proposal is."""

import pytest
from django.utils import timezone

from civitas.components.proposals import services
from civitas.testing.factories import UserFactory
from civitas.versions.services import versions_of

pytestmark = pytest.mark.django_db


def _published(author, component):
    proposal = services.do_create_draft(
        user=author, component=component, title="Des bancs au square", body="<p>Dix bancs à l’ombre.</p>"
    )
    services.do_publish(proposal=proposal, user=author)
    return proposal


def _history(proposal):
    return f"/history/proposals.proposal/{proposal.pk}/"


def test_an_edit_is_a_new_version_and_the_page_shows_the_words_that_changed(
    client_a, participant, proposals_component
):
    proposal = _published(participant, proposals_component)
    client_a.force_login(participant)
    response = client_a.post(
        f"{proposal.get_absolute_url()}edit/",
        {"title": "Des bancs au square", "body": "<p>Douze bancs à l’ombre.</p>"},
    )
    assert response.status_code == 302
    assert [version.number for version in versions_of(proposal)] == [1, 2]
    assert versions_of(proposal).last().author == participant

    client_a.logout()
    page = client_a.get(_history(proposal)).content.decode()
    assert '<del><span class="visually-hidden">' in page and ">Dix</del>" not in page
    assert "Dix" in page.split("<del>")[1].split("</del>")[0]
    assert "Douze" in page.split("<ins>")[1].split("</ins>")[0]
    assert client_a.get(_history(proposal), {"from": 1, "to": 1}).status_code == 200


def test_saving_the_same_words_again_adds_no_version(client_a, participant, proposals_component):
    proposal = _published(participant, proposals_component)
    client_a.force_login(participant)
    client_a.post(
        f"{proposal.get_absolute_url()}edit/",
        {"title": "Des bancs au square", "body": "<p>Dix bancs à l’ombre.</p>"},
    )
    assert versions_of(proposal).count() == 1


def test_the_history_is_as_private_as_the_proposal(
    client_a, client_b, participant, proposals_component, admin_a
):
    draft = services.do_create_draft(
        user=participant, component=proposals_component, title="Brouillon", body="x"
    )
    stranger = UserFactory(organization=proposals_component.space.organization)
    client_a.force_login(stranger)
    assert client_a.get(_history(draft)).status_code == 404  # a draft is its author's
    client_a.force_login(participant)
    assert client_a.get(_history(draft)).status_code == 200

    proposal = _published(participant, proposals_component)
    proposal.hidden_at = timezone.now()
    proposal.save(update_fields=["hidden_at"])
    client_a.force_login(stranger)
    assert client_a.get(_history(proposal)).status_code == 404  # hidden by moderation: hidden here too
    client_a.force_login(admin_a)
    assert client_a.get(_history(proposal)).status_code == 200
    # Another organization's host never finds it, nor an unknown kind of content.
    assert client_b.get(_history(proposal)).status_code == 404
    assert client_a.get(f"/history/accounts.user/{participant.pk}/").status_code == 404
