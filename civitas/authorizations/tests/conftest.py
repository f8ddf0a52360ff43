import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are compared in English, whatever the default locale."""
    from django.utils import translation

    with translation.override("en"):
        yield
