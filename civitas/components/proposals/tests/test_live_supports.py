"""Supporting in place (htmx): the button, the count and the supports left change on the
page; without JavaScript the same form posts and comes back to the page it was sent from."""

import re

import pytest
from django.urls import reverse

from civitas.components.proposals.models import Support
from civitas.components.proposals.tests.test_supports import _proposals
from civitas.testing.components import configure_component

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _index_url(component) -> str:
    return reverse(
        "proposals:index", kwargs={"space_slug": component.space.slug, "component_id": component.pk}
    )


def test_supports_left_are_shown_and_follow_each_support(client_a, participant, proposals_component, admin_a):
    configure_component(proposals_component, admin_a, settings={"support_limit": 2})
    first, second, third = _proposals(proposals_component, 3)
    client_a.force_login(participant)
    index = client_a.get(_index_url(proposals_component)).content.decode()
    box = f'id="supports-left-{proposals_component.pk}"'
    assert box in index and "2 soutiens restants" in index
    assert f'hx-post="{first.get_support_url()}" hx-target="#support-{first.pk}"' in index
    assert "htmx.min.js" in index

    answer = client_a.post(first.get_support_url(), {"next": _index_url(proposals_component)}, **HTMX)
    assert answer.status_code == 200
    fragment = answer.content.decode()
    assert "<html" not in fragment and fragment.strip().startswith(
        f'<div class="support-box" id="support-{first.pk}">'
    )
    # The button, now pressed, keeps its id so that htmx gives it the focus back.
    assert re.search(
        rf'id="support-button-{first.pk}" name="action" value="withdraw" [^>]*aria-pressed="true"', fragment
    )
    assert '<p class="support-count"><strong>1</strong> soutien' in fragment
    assert f'{box} hx-swap-oob="true"' in fragment and "1 soutien restant" in fragment
    assert re.search(
        r'<div id="live-status" hx-swap-oob="innerHTML">Merci pour votre soutien. 1 soutien restant.',
        fragment,
    )

    client_a.post(second.get_support_url(), **HTMX)
    refused = client_a.post(third.get_support_url(), **HTMX).content.decode()
    assert '<p class="support-error">' in refused and "0 soutien restant" in refused
    assert not Support.objects.filter(proposal=third).exists()

    withdrawn = client_a.post(first.get_support_url(), {"action": "withdraw"}, **HTMX).content.decode()
    assert "Votre soutien est retiré." in withdrawn and "1 soutien restant" in withdrawn
    assert '<p class="support-count"><strong>0</strong> soutien' in withdrawn


def test_the_detail_page_shows_what_a_minimum_of_supports_asks(
    client_a, participant, proposals_component, admin_a
):
    configure_component(proposals_component, admin_a, settings={"minimum_supports": 3})
    (proposal,) = _proposals(proposals_component, 1)
    client_a.force_login(participant)
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert "encore 3" in page
    fragment = client_a.post(proposal.get_support_url(), **HTMX).content.decode()
    assert "encore 2" in fragment


def test_no_limit_no_supports_left(client_a, participant, proposals_component):
    (proposal,) = _proposals(proposals_component, 1)
    client_a.force_login(participant)
    assert "supports-left" not in client_a.get(proposal.get_absolute_url()).content.decode()
    fragment = client_a.post(proposal.get_support_url(), **HTMX).content.decode()
    assert "supports-left" not in fragment and "Merci pour votre soutien." in fragment


def test_without_javascript_a_support_posts_and_comes_back(client_a, participant, proposals_component):
    (proposal,) = _proposals(proposals_component, 1)
    client_a.force_login(participant)
    back = _index_url(proposals_component)
    response = client_a.post(proposal.get_support_url(), {"next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert Support.objects.filter(proposal=proposal, user=participant).exists()
    assert "Merci pour votre soutien." in client_a.get(back).content.decode()
