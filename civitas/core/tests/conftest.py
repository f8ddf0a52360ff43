import pytest

from civitas.testing.security import build_world_b


@pytest.fixture
def world_b(org_b):
    return build_world_b(org_b)
