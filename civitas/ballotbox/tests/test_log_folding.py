"""After closing, what was erased leaves the database files even if a reader held them back.

A stalled download used to keep the log from being folded back, silently: the erased
salt of a closed vote stayed in the database file. Now a held log is retried by the queue.
On PostgreSQL, a snapshot older than the closing made VACUUM FULL copy the erased row into
the rewritten table (a copy of the database taken just after still held the salt, once in
a full run); the rewrite is now checked and retried the same way.
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


PROBE = "ballotbox_scrub_probe"


@pytest.fixture
def probe_table():
    """A small table whose one row is erased, as closing erases a vote's salt."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROBE} (salt text)")
        cursor.execute("INSERT INTO ballotbox_scrub_probe VALUES ('sel-a-effacer')")
    yield PROBE
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {PROBE}")


@pytest.mark.alone_on_the_database_server  # another worker's open transaction keeps dead rows
@pytest.mark.django_db(transaction=True)  # VACUUM runs outside any transaction
def test_an_older_snapshot_keeping_the_erased_row_is_retried_by_the_queue(probe_table, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite folds its log instead")
    # Another session took its snapshot before the erasure: a long report, or autovacuum's
    # ANALYZE of another table. VACUUM FULL must keep the old row for it.
    reader = connection.get_new_connection(connection.get_connection_params())
    reader.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
    reader.execute("SELECT 1").fetchone()  # another table: a lock on ours would block VACUUM
    with connection.cursor() as cursor:
        cursor.execute("UPDATE ballotbox_scrub_probe SET salt = ''")
    try:
        assert services._vacuum_full_kept_dead_rows(PROBE) == 1
        assert services.rewrite_without_dead_rows(PROBE) is False
        with pytest.raises(tasks.DeadRowsStillKept):
            tasks.rewrite_after_closing.call_local(PROBE)
    finally:
        reader.execute("COMMIT")
        reader.close()
    # Once the snapshot is gone, the queue's next try rewrites the table without it.
    tasks.rewrite_after_closing.call_local(PROBE)
    assert services._vacuum_full_kept_dead_rows(PROBE) == 0


@pytest.mark.django_db(transaction=True)
def test_closing_hands_a_table_it_could_not_clean_to_the_queue(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite folds its log instead")
    monkeypatch.setattr(services, "rewrite_without_dead_rows", lambda table: False)
    scheduled = []
    monkeypatch.setattr(tasks.rewrite_after_closing, "schedule", lambda **kwargs: scheduled.append(kwargs))
    services._scrub_storage(Survey)
    assert scheduled == [{"args": (Survey._meta.db_table,), "delay": services.RETRY_FOLD_SECONDS}]


@pytest.mark.django_db(transaction=True)  # VACUUM runs outside any transaction
def test_a_rewrite_that_cannot_have_the_table_at_once_is_left_to_the_queue(probe_table):
    """Another closing keeps a row of the votes' table locked for its whole transaction:
    VACUUM FULL waiting for it would queue every reader of the table (every consultation's
    page) behind it for minutes. It gives up after a short wait and the queue tries again."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite folds its log instead")
    other_closing = connection.get_new_connection(connection.get_connection_params())
    other_closing.execute("BEGIN")
    other_closing.execute("SELECT salt FROM ballotbox_scrub_probe FOR UPDATE").fetchall()
    try:
        assert services.rewrite_without_dead_rows(PROBE) is False
        with pytest.raises(tasks.DeadRowsStillKept):
            tasks.rewrite_after_closing.call_local(PROBE)
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"  # the wait is the rewrite's alone
    finally:
        other_closing.execute("COMMIT")
        other_closing.close()
    assert services.rewrite_without_dead_rows(PROBE) is True
