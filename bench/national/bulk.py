"""Bulk writing for the national data set: PostgreSQL COPY, id ranges, index rebuilds.

The data set is written the way the real code would have written it, row for row, but
not through the ORM: 500,000 accounts and 2 million contributions saved one by one
would take hours. ``copy_rows`` streams tuples into ``COPY … FROM STDIN`` in batches, so
memory stays flat whatever the scale; ``reserve_ids`` hands out primary keys in advance
(the generator knows every row's id before writing it, which is how comments point at
their parents and search entries at their resources).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection

BATCH_ROWS = 50_000


def table_and_columns(model, fields: Iterable[str]) -> tuple[str, list[str]]:
    """The table of ``model`` and the columns of ``fields`` (``author`` → ``author_id``)."""
    return model._meta.db_table, [model._meta.get_field(name).column for name in fields]


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """COPY ``rows`` (tuples in the order of ``fields``) into the model's table; returns the count.

    Rows are sent in batches of ``BATCH_ROWS``, each its own COPY, so a generator of
    millions of rows is consumed lazily.
    """
    table, columns = table_and_columns(model, fields)
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    total = 0
    iterator = iter(rows)
    while True:
        batch = list(itertools.islice(iterator, BATCH_ROWS))
        if not batch:
            return total
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in batch:
                copy.write_row(row)
        total += len(batch)


def reserve_ids(model, count: int) -> int:
    """Reserve ``count`` primary keys of ``model``'s table; returns the first one.

    Moves the table's sequence past the range, so rows the ORM creates afterwards never
    collide with the ones written with these ids.
    """
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")  # noqa: S608 (model metadata)
        (highest,) = cursor.fetchone()
        cursor.execute("SELECT last_value, is_called FROM " + sequence)  # noqa: S608
        last_value, is_called = cursor.fetchone()
        first = max(highest, last_value if is_called else last_value - 1) + 1
        cursor.execute("SELECT setval(%s, %s, true)", [sequence, first + max(count, 1) - 1])
    return first


def secondary_indexes(tables: Iterable[str]) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of ``tables`` that back no constraint.

    Primary keys and unique constraints stay: they are what guarantees the rows are right
    (one support per person and proposal, one search entry per resource).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef
            FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
              )
            ORDER BY i.tablename, i.indexname
            """,
            [list(tables)],
        )
        return list(cursor.fetchall())


def drop_secondary_indexes(*models) -> list[tuple[str, str]]:
    """Drop the models' plain indexes; returns them for ``create_indexes``."""
    indexes = secondary_indexes(model._meta.db_table for model in models)
    with connection.cursor() as cursor, _checks_done(cursor):
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return indexes


def create_indexes(indexes: list[tuple[str, str]]) -> None:
    with connection.cursor() as cursor, _checks_done(cursor):
        for _name, definition in indexes:
            cursor.execute(definition)


@contextmanager
def without_secondary_indexes(*models):
    """Drop the models' plain indexes for a bulk load and create them again afterwards,
    from their own definitions: the schema ends as the migrations made it, and building
    an index once is much cheaper than keeping it up to date row after row."""
    indexes = drop_secondary_indexes(*models)
    try:
        yield
    finally:
        create_indexes(indexes)


@contextmanager
def _checks_done(cursor):
    """Inside a transaction (the tests'), PostgreSQL alters no table with foreign-key checks
    still pending (Django defers them to the commit): run them now, defer again after."""
    if not connection.in_atomic_block:
        yield
        return
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(*models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def statistics(context) -> None:
    """The last step: the planner's statistics of every table and its visibility map, as a
    production server's autovacuum leaves them after a load (statistics within a minute,
    the map once the inserts pass its threshold). Without the statistics (a server running
    with autovacuum off, as this machine's does) a table loaded by COPY looks empty, and
    the planner's guesses turn a 1,000-account batch of the spam scan into a 2.4 s scan.
    Without the map, the first VACUUM after a closing (ballotbox's scrub) reads every page
    of every vote's envelopes, 11 GB at 100 %, instead of the closed vote's."""
    with connection.cursor() as cursor:
        # VACUUM cannot run in a transaction (the data set's test builds it in one).
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
