import datetime

import pytest


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages are compared in English, whatever the default locale."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def franceconnect(monkeypatch):
    """A "franceconnect" handler backed by an identity source of the test's own, as the
    OpenID Connect integration registers the real one: ``franceconnect[user] = birth date``."""
    from civitas.authorizations import handlers, identity

    people: dict[int, datetime.date | None] = {}

    def source(user):
        if user.pk not in people:
            return None
        return identity.VerifiedIdentity(
            handler="franceconnect", subject=f"sub-{user.pk}", birth_date=people[user.pk]
        )

    monkeypatch.setitem(handlers.HANDLERS, "franceconnect", "Identified with FranceConnect")
    monkeypatch.setitem(identity._SOURCES, "franceconnect", source)

    class People:
        def __setitem__(self, user, birth_date):
            people[user.pk] = birth_date

    return People()
