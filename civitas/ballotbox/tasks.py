"""Queue work of the ballot box: finishing what closing a vote erases."""

import logging

from huey.contrib.djhuey import db_task

logger = logging.getLogger(__name__)


class LogStillHeld(Exception):
    """A reader still holds SQLite's write-ahead log: the queue tries again."""


# Every 10 seconds for an hour: a request holds a read for a few seconds at most (streams
# read in short queries), so only something outside the platform could hold it longer.
@db_task(retries=360, retry_delay=10)
def fold_log_after_closing() -> None:
    """Until SQLite's log is folded and emptied, a closed vote's erased salt and
    ciphertexts are still in it (see services._scrub_storage)."""
    from civitas.ballotbox.services import fold_sqlite_log

    if not fold_sqlite_log():
        logger.warning("SQLite's write-ahead log is held by a reader; what closing erased is still in it")
        raise LogStillHeld


class DeadRowsStillKept(Exception):
    """An older snapshot still makes PostgreSQL keep a closed vote's erased row: try again."""


@db_task(retries=360, retry_delay=10)
def rewrite_after_closing(table: str) -> None:
    """Until PostgreSQL rewrites a closed vote's table without the old row versions, the
    erased salt is still in its files (see services._scrub_storage)."""
    from civitas.ballotbox.services import checkpoint, rewrite_without_dead_rows

    if rewrite_without_dead_rows(table):
        checkpoint()
    else:
        logger.warning("an older snapshot keeps %s's erased rows: still on disk", table)
        raise DeadRowsStillKept


# A closing that fails says why on the admin's page, and one whose consumer died was rolled
# back whole: the admin closes again, knowingly. Only taking the job is tried again, when
# SQLite's database is held by another closing (every 10 s for 5 minutes).
@db_task(retries=30, retry_delay=10)
def close_in_queue(job_id: int) -> None:
    """Close a vote whose key the platform holds; see :mod:`civitas.ballotbox.background`."""
    from civitas.ballotbox.background import run_closing

    run_closing(job_id)
