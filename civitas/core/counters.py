"""Counters every web process agrees on (rate limits), one statement per hit.

Without Redis the shared cache is a database table (``SharedDatabaseCache``). Django's
database cache counts with five to six statements per hit (a ``COUNT(*)`` of the whole
table before every write, a savepoint, a read, a write, and ``incr`` reading then writing
again): on a vote that was more than half of its queries. A counter here is one upsert
that adds one and returns the new count, atomically, so two requests at once never count
one (Django's ``incr`` on the database reads then writes and could lose a hit).

Counters are stored in the cache table as ``"#<count>"`` (a pickled value in base64
never starts with ``#``) and read only through :func:`hit` and :func:`count`. With Redis
(or any other cache) the cache's own ``add`` and ``incr`` do the same.
"""

# SQL here is built only from the quoted cache table's name, never from input.
# ruff: noqa: S608

from __future__ import annotations

import datetime

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils import timezone

PREFIX = "#"


class SharedDatabaseCache(DatabaseCache):
    """Django's database cache, with counters that cost one statement (see the module)."""

    def _statement(self, sql: str, params: list):
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.execute(sql.format(table=table), params)
            return cursor.fetchone()

    def _adapt(self, moment: datetime.datetime):
        db = router.db_for_write(self.cache_model_class)
        return connections[db].ops.adapt_datetimefield_value(moment.replace(microsecond=0))

    def count_hit(self, key: str, timeout: int) -> int:
        """Add one to the counter ``key`` (a new one, or one past its expiry, starts at 1)."""
        key = self.make_and_validate_key(key)
        now = timezone.now()
        expires = self._adapt(now + datetime.timedelta(seconds=timeout))
        now = self._adapt(now)
        # A live counter keeps its expiry (the end of its window); an expired one starts over.
        (value,) = self._statement(
            "INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
            "ON CONFLICT (cache_key) DO UPDATE SET "
            "value = CASE WHEN {table}.expires < %s OR {table}.value NOT LIKE '#%%' THEN excluded.value "
            "ELSE '#' || CAST(CAST(SUBSTR({table}.value, 2) AS INTEGER) + 1 AS TEXT) END, "
            "expires = CASE WHEN {table}.expires < %s OR {table}.value NOT LIKE '#%%' "
            "THEN excluded.expires ELSE {table}.expires END "
            "RETURNING value",
            [key, f"{PREFIX}1", expires, now, now],
        )
        return int(value[len(PREFIX) :])

    def count_of(self, key: str) -> int:
        """The counter ``key`` as it stands (0 when missing or expired), counting nothing."""
        key = self.make_and_validate_key(key)
        row = self._statement(
            "SELECT value FROM {table} WHERE cache_key = %s AND expires >= %s",
            [key, self._adapt(timezone.now())],
        )
        if row is None or not row[0].startswith(PREFIX):
            return 0
        return int(row[0][len(PREFIX) :])


def hit(cache, key: str, timeout: int) -> int:
    """Count one hit on ``key`` (kept ``timeout`` seconds from its first hit); the new count."""
    if isinstance(cache, SharedDatabaseCache):
        return cache.count_hit(key, timeout)
    if cache.add(key, 1, timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: a new window
        cache.add(key, 1, timeout)
        return 1


def count(cache, key: str) -> int:
    """The count of ``key`` without counting a hit."""
    if isinstance(cache, SharedDatabaseCache):
        return cache.count_of(key)
    return cache.get(key, 0)
