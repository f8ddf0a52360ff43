"""After closing, what was erased leaves SQLite's write-ahead log even if a reader held it.

A stalled download used to keep the log from being folded back, silently: the erased
salt of a closed vote stayed in the database file. Now a held log is retried by the queue.
"""

import pytest
from django.db import connection

from civitas.ballotbox import services, tasks
from civitas.components.surveys.models import Survey

pytestmark = pytest.mark.django_db


def test_a_held_log_is_retried_by_the_queue_until_folded(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL rewrites the tables instead (VACUUM FULL)")
    monkeypatch.setattr(services, "fold_sqlite_log", lambda: False)
    scheduled = []
    monkeypatch.setattr(tasks.fold_log_after_closing, "schedule", lambda **kwargs: scheduled.append(kwargs))
    services._scrub_storage(Survey)
    assert scheduled == [{"delay": services.RETRY_FOLD_SECONDS}]
    # The task itself: fails (so the queue retries) while held, returns once folded.
    with pytest.raises(tasks.LogStillHeld):
        tasks.fold_log_after_closing.call_local()
    monkeypatch.setattr(services, "fold_sqlite_log", lambda: True)
    tasks.fold_log_after_closing.call_local()
