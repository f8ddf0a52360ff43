"""Fifty simultaneous requests of one voter: one ballot, never over the budget.

Real threads, each with its own database connection, on the SQLite file database of the
test settings and on PostgreSQL when DATABASE_URL names one.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from civitas.components.budgets import services
from civitas.components.budgets.models import (
    Budget,
    BudgetBallot,
    BudgetParticipation,
    Order,
    OrderLine,
    Project,
)
from civitas.testing.factories import UserFactory

THREADS = 50


def _run_together(work, arguments):
    barrier = threading.Barrier(len(arguments))
    outcomes = []

    def run(argument):
        try:
            barrier.wait()
            work(argument)
            outcomes.append("ok")
        except services.BudgetError:
            outcomes.append("refused")
        except Exception as error:  # a database busy error is a refusal too: nothing stored
            outcomes.append(f"error: {type(error).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(argument,)) for argument in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _spent(order) -> int:
    return sum(order.projects.values_list("amount", flat=True))


def _close(budget, admin, request) -> BudgetBallot:
    """Close the vote and give its only ballot, opened."""
    services.do_close_vote(component=budget.component, user=admin)
    # The end of a transactional test truncates every table; the freeze triggers let a
    # closed vote's ballots go only once it is marked discarded.
    request.addfinalizer(lambda: Budget.objects.update(discarded_at=timezone.now()))
    return BudgetBallot.objects.get(budget=budget)


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_add_then_checkout_give_one_ballot_within_the_budget(
    budgets_component, voter, admin_a, request
):
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    # Fifty projects of 300 €: at most three fit.
    projects = [Project.objects.create(budget=budget, title=f"P{i}", amount=300) for i in range(THREADS)]

    def add_and_checkout(project):
        services.do_add_project(budget=budget, user=voter, project=project)
        services.do_checkout(budget=budget, user=voter)

    outcomes = _run_together(add_and_checkout, projects)
    # Adds of several requests may land before the first confirmation (each is its own
    # transaction), but once confirmed the vote is final: one success only.
    assert outcomes.count("ok") == 1
    assert not [outcome for outcome in outcomes if outcome.startswith("error")]
    assert BudgetParticipation.objects.filter(budget=budget, user=voter).count() == 1
    assert budget.envelopes().count() == 1
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    ballot = _close(budget, admin_a, request)
    assert 1 <= len(ballot.payload["projects"]) <= 3


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_adds_never_go_over_the_budget(budgets_component, voter):
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    projects = [Project.objects.create(budget=budget, title=f"P{i}", amount=300) for i in range(THREADS)]

    outcomes = _run_together(
        lambda project: services.do_add_project(budget=budget, user=voter, project=project), projects
    )
    order = Order.objects.get(budget=budget, user=voter)
    assert order.lines.count() == 3 and _spent(order) == 900
    assert outcomes.count("ok") == 3


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_confirmations_store_one_ballot(budgets_component, voter, admin_a, request):
    """The first ballot of a budget also prepares its key: fifty first voters at once."""
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    project = Project.objects.create(budget=budget, title="Parc", amount=700)
    services.do_add_project(budget=budget, user=voter, project=project)

    def confirm(index):
        if index % 2:
            services.do_checkout(budget=budget, user=voter)
        else:
            services.do_choose_projects(budget=budget, user=voter, project_ids=[project.pk], confirm=True)

    outcomes = _run_together(confirm, list(range(THREADS)))
    assert outcomes.count("ok") == 1
    assert not [outcome for outcome in outcomes if outcome.startswith("error")]
    assert BudgetParticipation.objects.filter(budget=budget, user=voter).count() == 1
    assert budget.envelopes().count() == 1
    assert _close(budget, admin_a, request).payload == {"projects": [str(project.pk)]}


@pytest.mark.django_db(transaction=True)
def test_fifty_voters_confirming_at_once_each_store_their_ballot(budgets_component, admin_a, org_a, request):
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    project = Project.objects.create(budget=budget, title="Parc", amount=700)
    voters = [UserFactory(organization=org_a) for _ in range(THREADS)]

    outcomes = _run_together(
        lambda voter: services.do_choose_projects(
            budget=budget, user=voter, project_ids=[project.pk], confirm=True
        ),
        voters,
    )
    assert outcomes == ["ok"] * THREADS
    assert BudgetParticipation.objects.filter(budget=budget).count() == THREADS
    services.do_close_vote(component=budget.component, user=admin_a)
    request.addfinalizer(lambda: Budget.objects.update(discarded_at=timezone.now()))
    budget.refresh_from_db()
    assert budget.tally["ballots"] == THREADS and budget.tally["votes"] == {str(project.pk): THREADS}
