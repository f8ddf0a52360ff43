"""Fifty simultaneous requests of one voter: one order, never over the budget.

Real threads, each with its own database connection, on the SQLite file database of the
test settings and on PostgreSQL when DATABASE_URL names one.
"""

import threading

import pytest
from django.db import connection

from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, Order, OrderLine, Project

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


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_add_then_checkout_give_one_order_within_the_budget(budgets_component, voter):
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    # Fifty projects of 300 €: at most three fit.
    projects = [Project.objects.create(budget=budget, title=f"P{i}", amount=300) for i in range(THREADS)]

    def add_and_checkout(project):
        services.do_add_project(budget=budget, user=voter, project=project)
        services.do_checkout(budget=budget, user=voter)

    outcomes = _run_together(add_and_checkout, projects)
    orders = Order.objects.filter(budget=budget, user=voter)
    assert orders.count() == 1
    order = orders.get()
    assert _spent(order) <= 1000
    assert order.is_checked_out
    # Adds of several requests may land before the first confirmation (each is its own
    # transaction), but once confirmed the order no longer changes: one success only.
    assert outcomes.count("ok") == 1
    assert 1 <= OrderLine.objects.filter(order=order).count() <= 3
    assert not [outcome for outcome in outcomes if outcome.startswith("error")]


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
def test_fifty_simultaneous_checkouts_confirm_once(budgets_component, voter):
    budget = Budget.objects.create(component=budgets_component, title="Centre", total=1000)
    project = Project.objects.create(budget=budget, title="Parc", amount=700)
    services.do_add_project(budget=budget, user=voter, project=project)

    outcomes = _run_together(lambda _i: services.do_checkout(budget=budget, user=voter), list(range(THREADS)))
    assert outcomes.count("ok") == 1
    assert Order.objects.filter(budget=budget, user=voter, checked_out_at__isnull=False).count() == 1
