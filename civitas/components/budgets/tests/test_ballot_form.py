"""The budget page's ballot: every ticked project sent in one form, saved or voted at once."""

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


def test_ticking_projects_and_voting_takes_one_request(client_a, budget, projects, voter):
    client_a.force_login(voter)
    page = client_a.get(budget.get_absolute_url()).content.decode()
    assert 'name="project"' in page and "Review my vote" in page
    picked = [projects["Piste cyclable"].pk, projects["Bancs"].pk]
    with CaptureQueriesContext(connection) as queries:
        response = client_a.post(
            _vote_url(budget), {"project": picked, "intent": "confirm", "confirm_final": "1"}
        )
    assert response.status_code == 200
    # Voting at once writes no draft, not even one deleted in the same transaction: a deleted
    # row may linger in the database file with its account and its time.
    assert not [query for query in queries if 'INSERT INTO "budgets_order' in query["sql"]]
    receipt = response.context["receipt"]
    assert receipt.code in response.content.decode()
    assert sorted(receipt.project_ids) == sorted(picked)
    assert BudgetParticipation.objects.filter(user=voter, budget=budget).exists()
    assert not Order.objects.exists()
    # Once voted, the page says so (final, encrypted), with neither the ballot nor a way to cancel.
    page = client_a.get(budget.get_absolute_url()).content.decode()
    assert 'name="project"' not in page and "You have voted in this budget" in page
    assert "Cancel my vote" not in page


def test_saving_keeps_the_selection_without_voting(client_a, budget, projects, voter):
    client_a.force_login(voter)
    client_a.post(
        f"{budget.get_absolute_url()}projects/{projects['Jardin partagé'].pk}/add/"
    )  # an earlier basket, replaced by the ticks
    response = client_a.post(_vote_url(budget), {"project": [projects["Bancs"].pk], "intent": "save"})
    assert response.status_code == 302
    order = Order.objects.get(user=voter)
    assert not BudgetParticipation.objects.exists()
    assert list(order.projects.values_list("title", flat=True)) == ["Bancs"]
    page = client_a.get(budget.get_absolute_url()).content.decode()
    assert f'value="{projects["Bancs"].pk}" id="project-{projects["Bancs"].pk}" checked' in page


@pytest.mark.parametrize(
    ("titles", "message"),
    [
        (["Piste cyclable", "Jardin partagé", "Bancs"], "over the budget"),
        ([], "at least one project"),
    ],
)
def test_a_selection_that_breaks_a_rule_changes_nothing_and_keeps_the_ticks(
    client_a, budget, projects, voter, titles, message
):
    client_a.force_login(voter)
    client_a.post(_vote_url(budget), {"project": [projects["Bancs"].pk], "intent": "save"})
    picked = [projects[title].pk for title in titles]
    response = client_a.post(
        _vote_url(budget), {"project": picked, "intent": "confirm", "confirm_final": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'role="alert"' in page
    for pk in picked:
        assert f'value="{pk}" id="project-{pk}" checked' in page
    order = Order.objects.get(user=voter)
    assert not BudgetParticipation.objects.exists() and not budget.envelopes().exists()
    assert list(order.projects.values_list("title", flat=True)) == ["Bancs"]


@pytest.mark.parametrize("raw", ["abc", "-3", "99999999", "²"])
def test_a_forged_project_id_is_refused(client_a, budget, projects, voter, raw):
    client_a.force_login(voter)
    response = client_a.post(
        _vote_url(budget), {"project": [projects["Bancs"].pk, raw], "intent": "confirm", "confirm_final": "1"}
    )
    assert response.status_code == 400
    assert "not part of this budget" in response.content.decode()
    assert not BudgetParticipation.objects.exists() and not budget.envelopes().exists()


def test_a_project_of_another_budget_is_refused(client_a, budget, projects, voter, budgets_component):
    from civitas.components.budgets.models import Budget, Project

    other = Budget.objects.create(component=budgets_component, title="Quartier nord", total=5000)
    stranger = Project.objects.create(budget=other, title="Fontaine", amount=100, position=0)
    client_a.force_login(voter)
    response = client_a.post(
        _vote_url(budget), {"project": [stranger.pk], "intent": "confirm", "confirm_final": "1"}
    )
    assert response.status_code == 400
    assert not BudgetParticipation.objects.exists() and not budget.envelopes().exists()


def test_visitors_and_other_tenants_cannot_vote(client_a, client_b, budget, projects, org_b):
    response = client_a.post(_vote_url(budget), {"project": [projects["Bancs"].pk]})
    assert response.status_code == 302 and "login" in response["Location"]
    client_b.force_login(UserFactory(organization=org_b))
    assert client_b.post(_vote_url(budget), {"project": [projects["Bancs"].pk]}).status_code == 404
    assert not Order.objects.exists()


def test_a_confirmed_vote_is_not_replaced_by_a_second_ballot(client_a, budget, projects, voter):
    client_a.force_login(voter)
    client_a.post(
        _vote_url(budget), {"project": [projects["Bancs"].pk], "intent": "confirm", "confirm_final": "1"}
    )
    again = client_a.post(
        _vote_url(budget),
        {"project": [projects["Piste cyclable"].pk], "intent": "confirm", "confirm_final": "1"},
    )
    assert again.status_code == 400 and "already voted in this budget" in again.content.decode()
    assert budget.envelopes().count() == 1 and BudgetParticipation.objects.count() == 1
    assert not Order.objects.exists()


def test_the_answer_to_a_vote_has_one_size_whatever_the_ballot(client_a, budget, projects, org_a):
    """The confirmation lists the projects chosen; its length, which whoever sees the
    encrypted traffic knows, must not tell one ballot from another (an outside tester
    matched 4,856 to 5,022 bytes to the ballots)."""
    ballots = [
        ["Piste cyclable"],
        ["Boîte à livres"],
        ["Jardin partagé", "Bancs", "Boîte à livres"],
        ["Bancs", "Boîte à livres"],
    ]
    sizes = set()
    for index, titles in enumerate(ballots):
        # Nicknames of one length: the header names the account, which the observer knows anyway.
        client_a.force_login(UserFactory(organization=org_a, nickname=f"votant{index}"))
        response = client_a.post(
            _vote_url(budget),
            {"project": [projects[title].pk for title in titles], "intent": "confirm", "confirm_final": "1"},
        )
        assert response.status_code == 200 and response.context["receipt"].code in response.content.decode()
        assert all(title in response.content.decode() for title in titles)
        sizes.add(len(response.content))
    assert len(sizes) == 1, sizes
