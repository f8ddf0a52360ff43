import pytest
from django.utils import translation

from civitas.components.budgets.models import Budget, Project
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def budgets_component(org_a, admin_a):
    """A published budgets component whose current phase has voting open."""
    space = published_space(org_a, admin_a)
    return published_component(space, admin_a, "budgets", "Budget participatif", voting_enabled=True)


@pytest.fixture
def budgets_in_preparation(budgets_component, admin_a):
    """The same component while the vote is being prepared: voting not open yet."""
    configure_component(budgets_component, admin_a, voting_enabled=False)
    return budgets_component


@pytest.fixture
def budget(budgets_component):
    """1000 € and four projects: 600, 300, 200 and 100 €."""
    budget = Budget.objects.create(component=budgets_component, title="Centre-ville", total=1000)
    for position, (title, amount) in enumerate(
        [("Piste cyclable", 600), ("Jardin partagé", 300), ("Bancs", 200), ("Boîte à livres", 100)]
    ):
        Project.objects.create(budget=budget, title=title, amount=amount, position=position)
    return budget


@pytest.fixture
def projects(budget):
    return {project.title: project for project in budget.projects.all()}


@pytest.fixture
def voter(org_a):
    return UserFactory(organization=org_a, nickname="votante", email="votante@example.org")


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language (French by default); the tests read English messages."""
    with translation.override("en"):
        yield
