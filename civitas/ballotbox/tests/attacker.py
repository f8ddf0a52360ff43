"""The attacker's tools: full copies of the database, the session and cache stores, the
task queue and the logs, and the arithmetic that says whether a linking attack beat chance.

A :class:`Snapshot` is what someone who copies the server at one moment holds:

* SQLite: the database file and its WAL read byte for byte (deleted cells and old page
  versions included), and every table read through the ``sqlite3`` module from a copy made
  with the online backup API, with each row's ``rowid``;
* PostgreSQL: every table's rows with ``ctid``, ``xmin`` and ``pg_column_size``, and every
  page of every relation (heaps, TOAST, indexes) read raw with ``pageinspect``, dead tuples
  included, as a file-level copy of the cluster would hold them;
* the decoded sessions, the contents of every cache (local memory, database or Redis),
  the task payloads as the queue stores them, and the log lines written so far.

Nothing here imports a component: the tests say which tables hold what.
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import pickle
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection

# --- statistics ------------------------------------------------------------------------


def binomial_tail(n: int, k: int, p: float = 0.5) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


def chance_interval(n: int, p: float = 0.5, alpha: float = 1e-6) -> tuple[int, int]:
    """The numbers of right guesses a fair coin stays within, but with probability ``alpha``.

    Two-sided: an attack that is reliably *wrong* has found the link as surely as one
    that is reliably right.
    """
    high = next(k for k in range(n + 2) if binomial_tail(n, k, p) <= alpha / 2)
    low = next(k for k in range(n, -2, -1) if binomial_tail(n, n - k, 1 - p) <= alpha / 2)
    return low + 1, high - 1


def best_guess_accuracy(views: dict, truth: dict) -> float:
    """Accuracy of the best attacker who knows, for every possible view, the answers behind it.

    ``views`` maps each voter to what the attack shows of them (hashable); the attacker
    guesses the commonest answer among the voters sharing that view. Equal views for
    every voter leave exactly the majority-answer rate: chance.
    """
    groups: dict = {}
    for voter, view in views.items():
        groups.setdefault(view, Counter())[truth[voter]] += 1
    return sum(max(counter.values()) for counter in groups.values()) / len(views)


def assert_at_chance(name: str, right: int, n: int, report: dict) -> None:
    low, high = chance_interval(n)
    report[name] = f"{right}/{n} right (a coin: {low}..{high})"
    assert low <= right <= high, f"{name}: the attack guessed {right} of {n} answers (a coin: {low}..{high})"


# --- snapshots -------------------------------------------------------------------------


@dataclass
class Row:
    table: str
    physical: dict  # rowid on SQLite; ctid, xmin and size on PostgreSQL
    values: dict

    def key(self) -> tuple:
        return (self.table, repr(sorted(self.physical.items())), repr(sorted(self.values.items())))


@dataclass
class Snapshot:
    label: str
    tables: dict[str, list[Row]] = field(default_factory=dict)
    raw: bytes = b""  # the database as stored: files (SQLite) or pages (PostgreSQL)
    sessions: list[dict] = field(default_factory=list)
    cache: bytes = b""
    queue: bytes = b""
    logs: str = ""

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def haystack(self) -> bytes:
        """What the attacker holds of the stores, as one byte string to search.

        The logs and the task queue only grow: the tests search them once, in the last copy.
        """
        rows = json.dumps(
            {table: [row.values for row in rows] for table, rows in self.tables.items()},
            default=_jsonable,
            ensure_ascii=False,
        ).encode()
        sessions = json.dumps(self.sessions, default=_jsonable, ensure_ascii=False).encode()
        if connection.vendor == "sqlite":
            rows = b""  # the raw file holds every row as written (text is stored as is)
        return b"\n".join([self.raw, rows, sessions, self.cache])


def _jsonable(value):
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return str(value)


class QueueRecorder:
    """Keeps every task payload exactly as huey hands it to its storage."""

    def __init__(self, huey):
        self.payloads: list[bytes] = []
        self._storage = huey.storage
        self._originals = {
            name: getattr(self._storage, name) for name in ("enqueue", "add_to_schedule", "put_data")
        }

    def __enter__(self):
        def recording(name):
            original = self._originals[name]

            def record(*args, **kwargs):
                self.payloads.append(repr(args).encode())
                return original(*args, **kwargs)

            return record

        for name in self._originals:
            setattr(self._storage, name, recording(name))
        return self

    def __exit__(self, *exc):
        for name in self._originals:
            delattr(self._storage, name)

    def contents(self) -> bytes:
        pending = []
        # Not every huey storage can list what is still queued (immediate mode has no
        # queue); the payloads recorded on the way in are then the whole of it.
        with contextlib.suppress(NotImplementedError, AttributeError):
            pending = [bytes(item) for item in self._storage.enqueued_items()]
        return b"\n".join([*self.payloads, *pending])


def _sqlite_tables(database: str) -> dict[str, list[Row]]:
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    copy = sqlite3.connect(":memory:")
    try:
        source.backup(copy)
    finally:
        source.close()
    tables = {}
    names = [name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for name in names:
        if name.startswith("sqlite_"):
            continue
        try:
            cursor = copy.execute(f'SELECT rowid AS "__rowid", * FROM "{name}"')  # noqa: S608
        except sqlite3.OperationalError:  # a WITHOUT ROWID table (full-text search internals)
            cursor = copy.execute(f'SELECT NULL AS "__rowid", * FROM "{name}"')  # noqa: S608
        columns = [description[0] for description in cursor.description]
        tables[name] = [
            Row(
                name,
                {
                    "rowid": values[0],
                    "size": sum(len(str(v)) if not isinstance(v, bytes) else len(v) for v in values[1:]),
                },
                dict(zip(columns[1:], values[1:], strict=True)),
            )
            for values in cursor.fetchall()
        ]
    copy.close()
    return tables


def _sqlite_raw(database: str) -> bytes:
    parts = []
    for suffix in ("", "-wal", "-journal"):
        path = Path(database + suffix)
        if path.exists():
            parts.append(path.read_bytes())
    return b"\n".join(parts)


def postgres_connection():
    """A second connection to the test database: the attacker's, outside the app's transactions."""
    import psycopg

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    attacker = psycopg.connect(**params, autocommit=True)
    attacker.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
    return attacker


def _postgres_tables(attacker) -> dict[str, list[Row]]:
    tables = {}
    names = [
        name
        for (name,) in attacker.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
    ]
    for name in names:
        cursor = attacker.execute(
            f'SELECT t.ctid::text, t.xmin::text, pg_column_size(t.*), t.* FROM "{name}" t'  # noqa: S608
        )
        columns = [description.name for description in cursor.description][3:]
        tables[name] = [
            Row(
                name,
                {"ctid": values[0], "xmin": int(values[1]), "size": values[2]},
                dict(zip(columns, values[3:], strict=True)),
            )
            for values in cursor.fetchall()
        ]
    return tables


def _postgres_raw(attacker) -> bytes:
    """Every page of every relation of the schema (and of their TOAST tables), as stored."""
    pages = attacker.execute(
        """
        WITH ours AS (
            SELECT c.oid FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i', 'm')
        ), toast AS (
            SELECT reltoastrelid AS oid FROM pg_class
            WHERE oid IN (SELECT oid FROM ours) AND reltoastrelid <> 0
        ), toast_indexes AS (
            SELECT indexrelid AS oid FROM pg_index WHERE indrelid IN (SELECT oid FROM toast)
        ), relations AS (
            SELECT oid, pg_relation_size(oid) / current_setting('block_size')::int AS blocks
            FROM (SELECT oid FROM ours UNION SELECT oid FROM toast UNION SELECT oid FROM toast_indexes) r
        )
        SELECT get_raw_page(oid::regclass::text, block)
        FROM relations, LATERAL generate_series(0, blocks - 1) AS block
        WHERE blocks > 0
        """
    ).fetchall()
    return b"".join(bytes(page) for (page,) in pages)


def _sessions(tables: dict[str, list[Row]]) -> list[dict]:
    decoded = []
    for row in tables.get("django_session", []):
        try:
            decoded.append(
                {"key": row.values["session_key"], **SessionStore().decode(row.values["session_data"])}
            )
        except Exception as error:  # noqa: BLE001 - an undecodable session is still evidence
            decoded.append({"key": row.values["session_key"], "undecodable": str(error)})
    return decoded


def _cache_contents() -> bytes:
    parts = []
    for alias, config in settings.CACHES.items():
        backend = config["BACKEND"]
        cache = caches[alias]
        if backend.endswith("LocMemCache"):
            for key, value in list(cache._cache.items()):
                parts.append(key.encode() + b"=" + value)
                # The raw bytes are kept anyway; the unpickled value is easier to search.
                with contextlib.suppress(Exception):
                    parts.append(repr(pickle.loads(value)).encode())  # noqa: S301 - our own cache
        elif backend.endswith("RedisCache"):
            client = cache._cache.get_client()
            for key in client.scan_iter():
                kind = client.type(key)
                if kind == b"string":
                    parts.append(key + b"=" + (client.get(key) or b""))
                elif kind == b"hash":
                    parts.append(key + b"=" + repr(client.hgetall(key)).encode())
                elif kind == b"list":
                    parts.append(key + b"=" + repr(client.lrange(key, 0, -1)).encode())
                elif kind == b"zset":
                    parts.append(key + b"=" + repr(client.zrange(key, 0, -1, withscores=True)).encode())
                elif kind == b"set":
                    parts.append(key + b"=" + repr(client.smembers(key)).encode())
        # DatabaseCache rows are in the database snapshot already.
    return b"\n".join(parts)


class Attacker:
    """Takes full copies of everything the server keeps, one after each cast."""

    def __init__(self, *, queue: QueueRecorder, logs: Callable[[], str]):
        self.queue = queue
        self.logs = logs
        self.snapshots: list[Snapshot] = []
        self._postgres = postgres_connection() if connection.vendor == "postgresql" else None

    def close(self) -> None:
        if self._postgres is not None:
            self._postgres.close()

    def copy(self, label: str) -> Snapshot:
        if connection.vendor == "sqlite":
            database = connection.settings_dict["NAME"]
            tables, raw = _sqlite_tables(database), _sqlite_raw(database)
        else:
            tables, raw = _postgres_tables(self._postgres), _postgres_raw(self._postgres)
        snapshot = Snapshot(
            label=label,
            tables=tables,
            raw=raw,
            sessions=_sessions(tables),
            cache=_cache_contents(),
            queue=self.queue.contents(),
            logs=self.logs(),
        )
        self.snapshots.append(snapshot)
        return snapshot


def appeared(before: Snapshot, after: Snapshot) -> list[Row]:
    """Rows of ``after`` that ``before`` did not hold (new or changed), in every table."""
    known = {row.key() for rows in before.tables.values() for row in rows}
    return [row for rows in after.tables.values() for row in rows if row.key() not in known]


def found(needles: Iterable[str], haystack: bytes) -> list[str]:
    """The needles present in the haystack (in UTF-8, or hex-encoded for binary columns)."""
    text = haystack
    return [needle for needle in needles if needle.encode() in text]


def _shapes(data: bytes, alphabet: bytes, shape: bytes) -> set[bytes]:
    """Every slice of ``data`` shaped like ``shape`` ("x" for a character of ``alphabet``).

    Regular expressions crawl through the megabytes of a database copy (no literal to
    anchor on); mapping every byte to its class and searching the shape with ``bytes.find``
    is many times faster.
    """
    table = bytes(
        ord("x") if byte in alphabet else (byte if chr(byte) in "-" else ord(".")) for byte in range(256)
    )
    classes = data.translate(table)
    found, start = set(), classes.find(shape)
    while start != -1:
        found.add(data[start : start + len(shape)])
        start = classes.find(shape, start + 1)
    return found


HEX = b"0123456789abcdef"
CROCKFORD = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TOKEN = re.compile(rb"tok[0-9a-f]{20}")


def secrets_in(haystack: bytes) -> set[str]:
    """Every 64-hex string, receipt code and answer token (``tok`` + 20 hex) in the haystack."""
    shapes = _shapes(haystack, HEX, b"x" * 64) | _shapes(haystack, CROCKFORD, b"xxxx-xxxx-xxxx-xxxx")
    return {match.decode() for match in shapes | set(TOKEN.findall(haystack))}
