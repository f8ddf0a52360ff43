"""Opening the address a form is sent to gives a page that leads back, never a bare 405."""

import pytest
from django.test import Client

from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def test_a_vote_s_confirmation_address_opened_as_a_page_leads_back_to_the_vote(org_a, admin_a, user_a):
    space = published_space(org_a, admin_a)
    component = published_component(space, admin_a, "majority_judgment", "Vote final", voting_enabled=True)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    vote_page = component.get_absolute_url()
    response = client.get(f"{vote_page}vote/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 405 and "POST" in response["Allow"]
    page = response.content.decode()
    assert "Cette adresse reçoit un formulaire" in page and f'href="{vote_page}"' in page
    assert "Rien n’a été envoyé à nouveau" in page
    # A HEAD is answered the same way, and a POST still reaches the view.
    assert client.head(f"{vote_page}vote/").status_code == 405


def test_the_log_out_address_leads_home_when_the_address_above_is_no_page(org_a, user_a):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    response = client.get("/accounts/logout/")
    assert response.status_code == 405 and 'class="button" href="/"' in response.content.decode()
    assert client.get("/notifications/").status_code == 200  # still logged in: nothing was sent


def test_the_api_keeps_its_own_answer(org_a):
    response = Client(HTTP_HOST=org_a.host).post("/api/v1/proposals/")
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
