"""The review step before a budget ballot is cast: the choice shown back from the form
alone, nothing of it stored, the page one size whatever the choice and kept by no cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.components.budgets.models import BudgetParticipation, Order
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(client_a, settings):
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _vote_url(budget):
    return f"{budget.get_absolute_url()}vote/"


def test_reviewing_shows_the_choice_and_stores_nothing(client_a, budget, projects, voter):
    client_a.force_login(voter)
    picked = [projects["Jardin partagé"].pk, projects["Bancs"].pk]
    with CaptureQueriesContext(connection) as queries:
        response = client_a.post(_vote_url(budget), {"project": picked, "intent": "review"})
    assert response.status_code == 200
    writes = [
        query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert not [sql for sql in writes if "civitas_shared_cache" not in sql]  # the rate limit's counter only
    assert not Order.objects.exists() and not BudgetParticipation.objects.exists()
    assert not budget.envelopes().exists()
    page = response.content.decode()
    assert "Check your vote before sending it" in page and "Your choice: 2 projects" in page
    assert "Jardin partagé" in page and "Bancs" in page and "Piste cyclable" not in page
    assert "500 € chosen of 1,000 € · 500 € left" in page
    assert "no-store" in response["Cache-Control"]
    # Its form posts the vote: under no-referrer the browser would send "Origin: null" (CSRF).
    assert response["Referrer-Policy"] == "same-origin"
    # The final step: the choice travels in the form, the box says it is final.
    for project_id in picked:
        assert f'<input type="hidden" name="project" value="{project_id}">' in page
    assert 'name="confirm_final" value="1" required' in page and 'name="intent" value="confirm"' in page
    cast = client_a.post(_vote_url(budget), {"project": picked, "intent": "confirm", "confirm_final": "1"})
    assert cast.status_code == 200 and cast.context["receipt"].code in cast.content.decode()
    assert BudgetParticipation.objects.filter(user=voter, budget=budget).exists()


def test_changing_the_choice_brings_the_ticks_back_without_storing_them(client_a, budget, projects, voter):
    client_a.force_login(voter)
    bench = projects["Bancs"].pk
    response = client_a.post(_vote_url(budget), {"project": [bench], "intent": "edit"})
    assert response.status_code == 200
    assert f'value="{bench}" id="project-{bench}" checked' in response.content.decode()
    assert not Order.objects.exists()


def test_a_choice_over_the_budget_is_refused_before_the_review(client_a, budget, projects, voter):
    client_a.force_login(voter)
    picked = [projects["Piste cyclable"].pk, projects["Jardin partagé"].pk, projects["Bancs"].pk]
    response = client_a.post(_vote_url(budget), {"project": picked, "intent": "review"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="ballot-error"' in page and "Check your vote before sending it" not in page
    assert not Order.objects.exists()


def test_the_review_has_one_size_whatever_the_choice(client_a, budget, projects, org_a):
    ballots = [
        ["Piste cyclable"],
        ["Boîte à livres"],
        ["Jardin partagé", "Bancs", "Boîte à livres"],
        ["Bancs"],
    ]
    sizes = set()
    for index, titles in enumerate(ballots):
        client_a.force_login(UserFactory(organization=org_a, nickname=f"votant{index}"))
        response = client_a.post(
            _vote_url(budget), {"project": [projects[title].pk for title in titles], "intent": "review"}
        )
        assert response.status_code == 200 and all(title in response.content.decode() for title in titles)
        sizes.add(len(response.content))
    assert len(sizes) == 1, sizes


def test_without_the_review_the_ballot_page_still_says_the_vote_is_reviewed(client_a, budget, voter):
    client_a.force_login(voter)
    page = client_a.get(budget.get_absolute_url()).content.decode()
    assert 'name="intent" value="review"' in page and 'name="intent" value="save"' in page
    assert 'name="confirm_final"' not in page
