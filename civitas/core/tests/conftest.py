import pytest

from civitas.testing.security import build_world_b


@pytest.fixture
def world_b(org_b, django_capture_on_commit_callbacks):
    # After-commit work (the search index above all) runs as a real commit would run it.
    with django_capture_on_commit_callbacks(execute=True):
        return build_world_b(org_b)
