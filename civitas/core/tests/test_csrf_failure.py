"""A form refused for its stale or missing security token says so in the visitor's
language and saves nothing; the API answers in its own JSON shape."""

import pytest
from django.test import Client

from civitas.testing.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_form_without_its_token_gets_a_page_that_says_what_to_do(org_a, user_a):
    browser = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True)
    response = browser.post(
        "/accounts/login/",
        {"username": user_a.email, "password": DEFAULT_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Le formulaire n’a pas pu être envoyé" in page and "Rien n’a été enregistré" in page
    assert 'lang="fr"' in page and "DEBUG" not in page
    assert "_auth_user_id" not in browser.session  # nothing happened: not logged in


def test_the_api_answers_a_refused_write_in_json(org_a):
    response = Client(HTTP_HOST=org_a.host, enforce_csrf_checks=True).post("/api/v1/proposals/")
    assert response.status_code == 403 and response.json()["error"]["code"] == "csrf"
