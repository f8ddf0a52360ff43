import pytest

from civitas.components.manifest import registry
from civitas.components.services import do_add_component, do_set_component_published
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory


@pytest.fixture
def proposals_component(org_a, admin_a):
    """A published proposals component in a published process whose current phase allows everything."""
    space = do_create_space(
        organization=org_a, user=admin_a, kind="process", title="Budget participatif 2027"
    )
    do_set_published(space=space, user=admin_a, published=True)
    phase = Phase.objects.create(space=space, title="Propositions", position=0)
    do_activate_phase(space=space, phase=phase, user=admin_a)
    component = do_add_component(space=space, user=admin_a, manifest=registry.get("proposals"), name="Idées")
    configure_component(component, admin_a, creation_enabled=True, supports="enabled")
    do_set_component_published(component=component, user=admin_a, published=True)
    component.refresh_from_db()
    return component


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a, nickname="paul", email="paul@example.org")
