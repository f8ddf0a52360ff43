import pytest

from civitas.comments.tests.helpers import make_page
from civitas.testing.factories import UserFactory


@pytest.fixture
def page(org_a, admin_a):
    return make_page(org_a, admin_a)


@pytest.fixture
def bob(org_a):
    return UserFactory(organization=org_a, nickname="bob", name="Bob Martin")


@pytest.fixture
def carol(org_a):
    return UserFactory(organization=org_a, nickname="carol", name="Carol Petit")
