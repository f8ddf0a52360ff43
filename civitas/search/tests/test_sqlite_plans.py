"""On SQLite, every search statement reads the full-text index first.

An outside tester froze a site with one search of twelve made-up words: the count joined
the other way round, every entry of the organization probing the full-text index (34 s at
140,000 entries), and eight such requests held every server thread. The plan is checked for
each statement the backend sends, a count and a page, for one word and for twelve.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.search import text
from civitas.search.backends import Scope, SqliteBackend
from civitas.search.models import IndexEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text tables"),
]


@pytest.mark.parametrize("query", ["velo", " ".join(f"m{n}x" for n in range(12))])
def test_every_statement_reads_the_full_text_index_before_the_entries(org_a, query):
    IndexEntry.objects.bulk_create(
        IndexEntry(organization=org_a, resource_type="page", object_id=n, title=f"Vélo {n}", url=f"/{n}/")
        for n in range(1, 51)
    )
    backend, groups = SqliteBackend(), text.query_groups(query)
    with CaptureQueriesContext(connection) as queries:
        backend.search(groups, Scope(organization_id=org_a.pk), limit=21, offset=0)
        backend.count(groups, Scope(organization_id=org_a.pk))
    assert len(queries.captured_queries) == 2
    with connection.cursor() as cursor:
        for query_sql in (captured["sql"] for captured in queries.captured_queries):
            cursor.execute(f"EXPLAIN QUERY PLAN {query_sql}")
            steps = [row[3] for row in cursor.fetchall() if "search_fts" in row[3] or " e " in f" {row[3]} "]
            assert steps[0].startswith("SCAN search_fts VIRTUAL TABLE"), steps
