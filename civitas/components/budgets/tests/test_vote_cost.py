"""What voting in a budget costs the database (issue 21: at most 8 queries a vote)."""

import pytest
from django.test import Client

from civitas.components.budgets.models import Budget, BudgetParticipation, Order, Project
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.testing.vote_cost import (
    MOST_QUERIES_PER_VOTE,
    expected_queries,
    one_transaction,
    vote_statements,
)

# Committed for real: a server's transactions, not the savepoints of a test's own.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ballot(org_a, admin_a):
    component = published_component(
        published_space(org_a, admin_a), admin_a, "budgets", "Budget participatif", voting_enabled=True
    )
    budget = Budget.objects.create(component=component, title="Toute la ville", total=1_000_000)
    projects = [
        Project.objects.create(
            budget=budget, title=f"Projet {index}", amount=100_000 + 10_000 * index, position=index
        )
        for index in range(12)
    ]
    url = f"{budget.get_absolute_url()}vote/"
    someone = Client(HTTP_HOST=org_a.host)
    someone.force_login(UserFactory(organization=org_a))
    vote = {"project": [projects[0].pk], "intent": "confirm", "confirm_final": "1"}
    assert someone.post(url, vote).status_code == 200  # the vote's key is prepared
    return budget, projects, url


def _voter_on_the_page(org_a, budget):
    voter = UserFactory(organization=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(voter)
    assert client.get(budget.get_absolute_url()).status_code == 200  # the ballot the voter ticks
    return voter, client


def test_a_budget_vote_costs_at_most_eight_queries(org_a, ballot):
    budget, projects, url = ballot
    voter, client = _voter_on_the_page(org_a, budget)
    ticked = [projects[2].pk, projects[5].pk, projects[9].pk]

    response, queries, control = vote_statements(
        client, url, {"project": ticked, "intent": "confirm", "confirm_final": "1"}
    )

    assert response.status_code == 200
    assert sorted(response.context["receipt"].project_ids) == sorted(ticked)
    assert BudgetParticipation.objects.filter(budget=budget, user=voter).count() == 1
    # Session; account with its organization; the projects with their budget, component,
    # space and phase; the voter's row locked with their draft read; the participation,
    # whose insert checks that the vote is open; the envelope. In the shared cache: the rate
    # limit's counter.
    assert len(queries) == expected_queries(database=6, shared_cache=1), "\n".join(queries)
    assert len(queries) <= MOST_QUERIES_PER_VOTE
    assert control == one_transaction()


def test_voting_over_a_saved_draft_deletes_it_in_the_same_transaction(org_a, ballot):
    budget, projects, url = ballot
    voter, client = _voter_on_the_page(org_a, budget)
    assert client.post(url, {"project": [projects[1].pk], "intent": "save"}).status_code == 302
    assert Order.objects.filter(user=voter).exists()

    response, _queries, _control = vote_statements(
        client, url, {"project": [projects[3].pk], "intent": "confirm", "confirm_final": "1"}
    )

    assert response.status_code == 200
    assert not Order.objects.filter(user=voter).exists()
    assert BudgetParticipation.objects.filter(budget=budget, user=voter).count() == 1
