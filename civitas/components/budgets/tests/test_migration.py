"""Migration 0004: confirmed orders become participations, or the migration refuses to run.

Closed budgets keep "this account voted" (their ballots were sealed at closing); an open
budget's confirmed orders hold votes in clear that cannot be encrypted here: the migration
stops with a message saying so rather than losing them.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# 0004_budget_participations and 0005_orders_are_drafts_only, from their parent. The other
# branches of the graph (receipt mode, project images) are not needed to test them.
BEFORE = [("budgets", "0003_ballot_keys")]
AFTER = [("budgets", "0005_orders_are_drafts_only")]


def _migrate(targets=None):
    """Migrate to ``targets`` (every leaf, i.e. the current schema, when None); the
    historical models of that state, since the current ones may have fields it lacks."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema(budgets_component, request):
    apps = _migrate(BEFORE)

    def back_to_the_latest():
        apps = _migrate(BEFORE)  # whatever happened, from a known state
        apps.get_model("budgets", "Order").objects.all().delete()  # test votes, as the message says
        # The flush at the end of the test must be allowed to delete a closed budget's rows.
        apps.get_model("budgets", "Budget").objects.update(discarded_at=timezone.now())
        _migrate()  # the latest schema, which the next tests' fixtures use

    request.addfinalizer(back_to_the_latest)
    return apps


def _order(apps, budget, user, *, confirmed_at=None, project=None):
    order = apps.get_model("budgets", "Order").objects.create(
        budget_id=budget.pk, user_id=user.pk, checked_out_at=confirmed_at, receipt_hash=""
    )
    if project is not None:
        apps.get_model("budgets", "OrderLine").objects.create(order=order, project_id=project.pk)
    return order


def test_closed_budgets_keep_who_voted_and_drafts_go(old_schema, budgets_component, org_a):
    apps = old_schema
    Budget = apps.get_model("budgets", "Budget")
    Project = apps.get_model("budgets", "Project")
    closed = Budget.objects.create(component_id=budgets_component.pk, title="Clos", total=100)
    still_open = Budget.objects.create(component_id=budgets_component.pk, title="Ouvert", total=100)
    project = Project.objects.create(budget=still_open, title="Banc", amount=10)
    voters = [UserFactory(organization=org_a) for _ in range(3)]
    now = timezone.now()
    _order(apps, closed, voters[0], confirmed_at=now)
    _order(apps, closed, voters[1])  # a draft left when the vote closed
    _order(apps, still_open, voters[2], project=project)  # a draft of an open vote
    Budget.objects.filter(pk=closed.pk).update(frozen_at=now)

    apps = _migrate(AFTER)
    participations = apps.get_model("budgets", "BudgetParticipation").objects.all()
    assert [(p.budget_id, p.user_id) for p in participations] == [(closed.pk, voters[0].pk)]
    drafts = apps.get_model("budgets", "Order").objects.all()
    assert [(order.budget_id, order.user_id) for order in drafts] == [(still_open.pk, voters[2].pk)]
    assert apps.get_model("budgets", "OrderLine").objects.count() == 1


def test_confirmed_votes_of_an_open_budget_stop_the_migration(old_schema, budgets_component, org_a):
    apps = old_schema
    Budget = apps.get_model("budgets", "Budget")
    still_open = Budget.objects.create(component_id=budgets_component.pk, title="Ouvert", total=100)
    voter = UserFactory(organization=org_a)
    _order(apps, still_open, voter, confirmed_at=timezone.now())

    refused = rf"1 confirmed vote\(s\) of budgets still open \(#{still_open.pk}\)"
    with pytest.raises(RuntimeError, match=refused):
        _migrate(AFTER)
    # Nothing was lost: the vote is still there, in the order the previous version counts.
    apps = _migrate(BEFORE)
    assert apps.get_model("budgets", "Order").objects.get().checked_out_at is not None
