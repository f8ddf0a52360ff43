import pytest
from django.utils import translation

from civitas.components.accountability.models import Status
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def space(org_a, admin_a):
    return published_space(org_a, admin_a, "Convention citoyenne")


@pytest.fixture
def accountability_component(space, admin_a):
    return published_component(space, admin_a, "accountability", "Suivi des résultats")


@pytest.fixture
def statuses(accountability_component):
    return {
        name: Status.objects.create(component=accountability_component, name=name, default_progress=progress)
        for name, progress in [("Étudié", 10), ("Travaux en cours", 50), ("Livré", 100)]
    }


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language (French by default); the tests read English messages."""
    with translation.override("en"):
        yield
