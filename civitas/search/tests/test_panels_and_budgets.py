"""A resident's French queries find citizen panels and participatory budgets (tester's report)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civitas.components.budgets.models import Budget, Project
from civitas.components.services import do_set_component_published
from civitas.components.sortition import services as sortition
from civitas.search.queries import search
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


def _titles(organization, query, user=None):
    result = search(user=user or AnonymousUser(), organization=organization, query=query)
    return sorted(hit.document.title for hit in result.hits)


def test_a_citizen_panel_is_found_by_its_name_its_kind_and_its_quotas(
    org_a, org_b, admin_a, public_space, indexed
):
    with indexed():
        component = published_component(public_space, admin_a, "sortition", "Convention citoyenne du climat")
    assert _titles(org_a, "convention climat") == ["Convention citoyenne du climat"]
    assert _titles(org_a, "tirés au sort") == ["Convention citoyenne du climat"]  # what it is, in French
    with indexed():
        sortition.do_add_feature(
            panel=sortition.panel_of(component),
            user=admin_a,
            name="Tranche d'âge",
            values_text="18-34 ans\n35-64 ans\n65 ans et plus",
            tolerance=0.1,
        )
    assert _titles(org_a, "tranche age") == ["Convention citoyenne du climat"]
    # Another organization never finds it; unpublished, nobody does.
    assert _titles(org_b, "convention climat", UserFactory(organization=org_b)) == []
    with indexed():
        do_set_component_published(component=component, user=admin_a, published=False)
    assert _titles(org_a, "convention climat", admin_a) == []


def test_a_budget_and_its_projects_are_found_in_french(org_a, org_b, admin_a, public_space, indexed):
    with indexed():
        component = published_component(public_space, admin_a, "budgets", "Budget des quartiers 2027")
        budget = Budget.objects.create(component=component, title="Quartier nord", total=50000)
        Project.objects.create(
            budget=budget,
            title="Rénovation de l'aire de jeux",
            description="<p>Des toboggans neufs près de l'école.</p>",
            amount=12000,
        )
    assert _titles(org_a, "budget des quartiers") == ["Budget des quartiers 2027 — Quartier nord"]
    assert _titles(org_a, "aire de jeux") == ["Rénovation de l'aire de jeux"]
    assert _titles(org_a, "toboggan ecole") == ["Rénovation de l'aire de jeux"]
    assert _titles(org_a, "quartier nord") == [
        "Budget des quartiers 2027 — Quartier nord",
        "Rénovation de l'aire de jeux",
    ]
    # Renaming the budget re-indexes its projects, whose text names it.
    with indexed():
        budget.title = "Quartier sud"
        budget.save()
    assert _titles(org_a, "quartier nord") == []
    assert _titles(org_a, "quartier sud") == [
        "Budget des quartiers 2027 — Quartier sud",
        "Rénovation de l'aire de jeux",
    ]
    assert _titles(org_b, "aire de jeux", UserFactory(organization=org_b)) == []
    with indexed():
        do_set_component_published(component=component, user=admin_a, published=False)
    assert _titles(org_a, "aire de jeux", admin_a) == []
    assert _titles(org_a, "budget des quartiers", admin_a) == []
