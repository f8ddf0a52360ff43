"""Counters shared by every web process (rate limits, used CAPTCHA nonces) are not evicted early."""

import datetime

import pytest
import time_machine
from django.core.cache import caches
from django.utils import timezone

from civitas.core.tasks import delete_expired_counters

pytestmark = [pytest.mark.django_db, pytest.mark.security("rate limits")]


@pytest.fixture
def shared(settings):
    if not settings.CACHES["shared"]["BACKEND"].endswith("DatabaseCache"):
        pytest.skip("With Redis, keys expire in Redis itself.")
    return caches["shared"]


def test_a_throttle_counter_survives_a_flood_of_other_keys(shared):
    shared.set("rl:login:0-victim", 5, 900)
    for index in range(1200):
        shared.set(f"rl:login:noise-{index}", 1, 900)
    assert shared.get("rl:login:0-victim") == 5


def test_expired_counters_are_deleted_and_live_ones_kept(shared):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2)):
        shared.set("rl:old", 1, 60)
    shared.set("rl:live", 1, 600)
    assert delete_expired_counters.call_local() == 1
    assert shared.get("rl:live") == 1
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2)):
        assert shared.get("rl:old") is None  # the row itself is gone, not merely expired


def test_a_counter_hit_is_one_statement_that_counts_up_and_starts_over_once_expired(shared):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civitas.core import counters

    with CaptureQueriesContext(connection) as queries:
        assert counters.hit(shared, "rl:votes", 600) == 1
    assert len(queries) == 1
    assert [counters.hit(shared, "rl:votes", 600) for _ in range(3)] == [2, 3, 4]
    assert counters.count(shared, "rl:votes") == 4 and counters.count(shared, "rl:other") == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=601)):
        assert counters.count(shared, "rl:votes") == 0
        assert counters.hit(shared, "rl:votes", 600) == 1


def test_a_counter_over_a_value_stored_by_the_cache_itself_starts_at_one(shared):
    from civitas.core import counters

    shared.set("rl:mixed", {"not": "a counter"}, 600)
    assert counters.hit(shared, "rl:mixed", 600) == 1
    assert counters.hit(shared, "rl:mixed", 600) == 2


def test_counters_expire_with_the_other_keys(shared):
    from civitas.core import counters

    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2)):
        counters.hit(shared, "rl:old-counter", 60)
    counters.hit(shared, "rl:live-counter", 600)
    assert delete_expired_counters.call_local() == 1
    assert counters.count(shared, "rl:live-counter") == 1
