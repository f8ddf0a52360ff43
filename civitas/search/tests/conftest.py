import pytest

from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run the on-commit indexing of what happens inside the block, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def public_space(org_a, admin_a, indexed):
    with indexed():
        return published_space(org_a, admin_a, "Budget participatif")


@pytest.fixture
def private_space(org_a, admin_a, indexed):
    with indexed():
        return published_space(org_a, admin_a, "Conseil de quartier", visibility="private")


@pytest.fixture
def public_proposals(public_space, admin_a, indexed):
    with indexed():
        return published_component(public_space, admin_a, "proposals", "Idées", creation_enabled=True)


@pytest.fixture
def private_proposals(private_space, admin_a, indexed):
    with indexed():
        return published_component(private_space, admin_a, "proposals", "Idées", creation_enabled=True)


@pytest.fixture
def participant(org_a):
    return UserFactory(organization=org_a, nickname="paul", name="Paul Martin")
