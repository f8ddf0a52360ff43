"""A download left hanging holds no read snapshot, so closing a vote can erase for good.

An outside tester stalled the download of a public sealed file (a socket that stops
reading) while an admin closed a consultation: SQLite could not fold its write-ahead log
back past the reader's snapshot, and the database file still held the erased salt from
which the vote's key is derived. Streams now read in short queries (core.streaming.
short_reads). Checked on a real SQLite file in WAL mode, beside ``iterator()`` which the
check catches, and over the code: no module that can answer a request streams with
``iterator()``.
"""

import re
import sqlite3
from pathlib import Path

import pytest
from django.db import connections

from civitas.ballotbox.models import Envelope
from civitas.core.streaming import short_reads

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "stalled_download_check"


@pytest.fixture
def wal_database(tmp_path, django_db_blocker):
    path = tmp_path / "wal.sqlite3"
    with django_db_blocker.unblock():
        yield from _wal_database(path)


def _wal_database(path):
    default = connections.databases["default"]
    connections.databases[ALIAS] = {
        **default,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
        "TEST": {},
    }
    connection = connections[ALIAS]
    with connection.schema_editor() as editor:
        editor.create_model(Envelope)
    Envelope.objects.using(ALIAS).bulk_create(
        Envelope(target=f"survey:{index % 3}", ciphertext=b"x" * 64, fingerprint=f"{index:064x}")
        for index in range(50)
    )
    yield path
    connection.close()
    del connections[ALIAS]
    connections.databases.pop(ALIAS)


def _checkpoint_completes(path: Path) -> bool:
    """What closing runs: erase (write), then fold the log into the file and empty it."""
    other = sqlite3.connect(path, timeout=0.1)
    other.execute(
        "UPDATE ballotbox_envelope SET ciphertext = x'' WHERE id = (SELECT min(id) FROM ballotbox_envelope)"
    )
    other.commit()
    busy, _log, _done = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    other.close()
    return busy == 0


def test_a_stalled_stream_of_short_reads_lets_the_log_be_folded_back(wal_database):
    rows = Envelope.objects.using(ALIAS).all()
    stream = short_reads(rows, "fingerprint", key="fingerprint", flat=True, chunk=10)
    first = next(stream)  # the client read a little, then stopped reading
    assert _checkpoint_completes(wal_database)
    rest = list(stream)
    assert [first, *rest] == sorted(f"{index:064x}" for index in range(50))


def test_the_check_catches_a_stream_that_keeps_its_statement_open(wal_database):
    rows = Envelope.objects.using(ALIAS).order_by("fingerprint").values_list("fingerprint", flat=True)
    stream = rows.iterator(chunk_size=10)
    next(stream)
    assert not _checkpoint_completes(wal_database)
    list(stream)


def test_ties_on_the_key_are_neither_lost_nor_repeated(wal_database):
    rows = Envelope.objects.using(ALIAS).all()
    got = list(short_reads(rows, "target", "fingerprint", key="target", chunk=7))
    assert len(got) == 50 and len(set(got)) == 50
    assert [target for target, _fingerprint in got] == sorted(target for target, _fingerprint in got)
    instances = list(short_reads(rows, chunk=7))
    assert [envelope.pk for envelope in instances] == sorted(envelope.pk for envelope in instances)


# Modules that may iterate with iterator(): they never answer a request with a stream
# (migrations, queue tasks, nightly builds written to a file first).
OFF_REQUEST = {
    "civitas/components/petitions/signature_list.py": "built by a nightly task, in one snapshot on purpose",
    "civitas/search/indexing.py": "reindexing runs in the task queue",
    "civitas/components/surveys/results.py": "reads all answers within the request, no client in between",
    "civitas/components/proposals/manifest.py": "search entries, indexed by the task queue",
    "civitas/actionlog/exports.py": "GDPR export, built whole into an archive before it is sent",
    "civitas/ballotbox/services.py": "opening envelopes at closing, inside its transaction",
    "civitas/ballotbox/opendata.py": "feeds the open-data archive, built by a task",
    "civitas/core/streaming.py": "names iterator() to explain short_reads",
    "civitas/comments/exports.py": "GDPR export, built whole into an archive before it is sent",
}


def _allowed(relative: str) -> bool:
    return (
        relative in OFF_REQUEST
        or "/migrations/" in relative
        # The open-data archive is built by a task, then served as a file.
        or relative.startswith("civitas/opendata/")
        or relative.endswith("/opendata.py")
    )


def test_no_module_that_answers_requests_streams_with_iterator():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT.parent).as_posix()
        if "/tests/" in relative or _allowed(relative):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\.iterator\(", line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "use civitas.core.streaming.short_reads:\n" + "\n".join(offenders)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["fingerprint", "pk"])
def test_every_chunk_after_the_first_is_a_range_of_the_keys_index(key):
    """A chunk that starts from the bookmark through the index, not from the index's first
    entry: otherwise each chunk reads every row before it, and closing a consultation of
    475,000 answers spent minutes listing its envelopes' fingerprints."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("index ranges are read from PostgreSQL's plans")
    Envelope.objects.bulk_create(
        Envelope(target="survey:1", ciphertext=b"x", fingerprint=f"{index:064x}") for index in range(30)
    )
    with CaptureQueriesContext(connection) as captured:
        # A vote's envelopes by fingerprint (sealing); the whole table by primary key.
        rows = Envelope.objects.filter(target="survey:1") if key == "fingerprint" else Envelope.objects.all()
        fields = ("fingerprint",) if key == "fingerprint" else ()
        assert len(list(short_reads(rows, *fields, key=key, chunk=10))) == 30
    later_chunk = captured.captured_queries[1]["sql"]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # small tables: the plan that exists at scale
        cursor.execute(f"EXPLAIN {later_chunk}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    column = "fingerprint" if key == "fingerprint" else "id"
    assert re.search(rf"Index Cond: .*\b{column}\b", plan), plan
