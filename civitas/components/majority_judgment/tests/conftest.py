import pytest
from django.utils import translation

from civitas.components.majority_judgment.models import Candidate, Election
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def mj_component(org_a, admin_a):
    """A published majority-judgment component whose current phase has voting open."""
    space = published_space(org_a, admin_a)
    return published_component(
        space, admin_a, "majority_judgment", "Jugement majoritaire", voting_enabled=True
    )


@pytest.fixture
def mj_in_preparation(mj_component, admin_a):
    """The same component while the vote is being prepared: voting not open yet."""
    configure_component(mj_component, admin_a, voting_enabled=False)
    return mj_component


@pytest.fixture
def election(mj_component):
    """Three candidates graded on the seven French mentions."""
    election = Election.objects.get(component=mj_component)
    for position, title in enumerate(["Piste cyclable", "Jardin partagé", "Bancs"]):
        Candidate.objects.create(election=election, title=title, position=position)
    election.component = mj_component
    return election


@pytest.fixture
def candidates(election):
    return {candidate.title: candidate for candidate in election.candidates.all()}


@pytest.fixture
def voter(org_a):
    return UserFactory(organization=org_a, nickname="votante", email="votante@example.org")


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Services speak the active language (French by default); the tests read English messages."""
    with translation.override("en"):
        yield
