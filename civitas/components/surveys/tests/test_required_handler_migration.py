"""Migration 0006: a survey's required handler becomes its component's "answer" requirement."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("surveys", "0005_receipt_mode_and_sealed_header")]
AFTER = [("surveys", "0006_required_handler_becomes_action_requirement")]


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_required_handlers_move_to_requirements_and_back(org_a, admin_a, request):
    space = published_space(org_a, admin_a)
    census_only = published_component(space, admin_a, "surveys", "Recensés")
    open_to_all = published_component(space, admin_a, "surveys", "Ouverte")
    request.addfinalizer(_migrate)
    apps = _migrate(BEFORE)
    Survey = apps.get_model("surveys", "Survey")
    # Each component got its survey when added; the old field is empty by default.
    Survey.objects.filter(component_id=census_only.pk).update(authorization="census")

    apps = _migrate(AFTER)
    ActionRequirement = apps.get_model("authorizations", "ActionRequirement")
    assert list(ActionRequirement.objects.values_list("component_id", "phase_id", "action", "handler")) == [
        (census_only.pk, None, "answer", "census")
    ]

    apps = _migrate(BEFORE)
    Survey = apps.get_model("surveys", "Survey")
    assert dict(Survey.objects.values_list("component_id", "authorization")) == {
        census_only.pk: "census",
        open_to_all.pk: "",
    }
