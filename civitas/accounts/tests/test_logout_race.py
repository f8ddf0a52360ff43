"""A log-out holds even against a request that was reading the same session meanwhile.

With sessions read through a cache first (Django's cached_db), a request that missed the
cache read the session from the database and wrote it back to the cache; a log-out landing
between the two deleted both, then the write-back brought the session back, and the
logged-out cookie stayed logged in until the session's expiry (found from outside).
"""

from importlib import import_module

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_request_reading_the_session_during_the_log_out_does_not_bring_it_back(org_a, user_a, monkeypatch):
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(user_a)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for cache in caches.all():  # a cold cache: Redis restarted, or the session predates it
        cache.clear()
    read = store_class._get_session_from_db

    def read_then_log_out(self):
        found = read(self)
        store_class().delete(key)  # the log-out, sent from another tab at that moment
        return found

    monkeypatch.setattr(store_class, "_get_session_from_db", read_then_log_out)
    store_class(key).load()  # the other request, which read before the log-out
    monkeypatch.undo()

    settings_page = client.get(reverse("accounts:settings"))
    assert settings_page.status_code == 302 and reverse("accounts:login") in settings_page["Location"]
