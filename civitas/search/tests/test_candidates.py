"""Which matches are ranked on PostgreSQL: the most recent ``MAX_CANDIDATES``, found without
reading the whole index (see ``backends.PostgresBackend``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.search import backends, text
from civitas.search.backends import PostgresBackend, Scope
from civitas.search.models import IndexEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


@pytest.fixture
def entries(org_a, monkeypatch):
    """300 entries, oldest first: "frequent" in all, "ancien" in the 40 oldest, "rare" in the
    oldest only; 20 candidates at most, a first window of 32 ids."""
    monkeypatch.setattr(backends, "MAX_CANDIDATES", 20)
    monkeypatch.setattr(PostgresBackend, "WINDOW", 32)
    rows = []
    for number in range(300):
        words = ["frequent"] + (["ancien"] if number < 40 else []) + (["rare"] if number == 0 else [])
        rows.append(
            IndexEntry(
                organization=org_a,
                resource_type="page",
                object_id=number + 1,
                title=f"Entrée {number}",
                url=f"/{number}/",
                title_terms=" ".join(words),
            )
        )
    IndexEntry.objects.bulk_create(rows)
    return list(IndexEntry.objects.filter(organization=org_a).order_by("pk").values_list("pk", flat=True))


def _search(org, word, **options):
    found, statements = _search_with_statements(org, word, **options)
    return found, len(statements)


def _search_with_statements(org, word, **options):
    with CaptureQueriesContext(connection) as queries:
        found = PostgresBackend().search(
            text.query_groups(word),
            Scope(organization_id=org.pk),
            limit=options.get("limit", 5),
            offset=options.get("offset", 0),
        )
    return found, [query["sql"] for query in queries.captured_queries]


def test_a_rare_word_is_found_in_the_oldest_entry_with_no_window(org_a, entries):
    # None among the newest entries, so counted through the GIN index (1 match, under the
    # bound), then read through it: no walk down the primary key, however many entries came
    # after it. The newest id, the window's count, the count, the candidates.
    assert _search(org_a, "rare") == ([entries[0]], 4)
    assert _search(org_a, "absent") == ([], 3)


def test_a_frequent_word_ranks_the_most_recent_matches(org_a, entries):
    found, statements = _search_with_statements(org_a, "frequent", limit=25)
    # Equal ranks: the most recent first, and only the 20 candidates.
    assert found == entries[::-1][:20]
    # The newest id, then the first window's matches, counted and ranked by one statement
    # (enough of them: no count of every match, no second reading to rank them).
    assert len(statements) == 2
    assert PostgresBackend().count(text.query_groups("frequent"), Scope(organization_id=org_a.pk)) == 21
    # Dense among the newest entries: the candidates are read walking the ids backwards.
    assert "MATERIALIZED" not in statements[-1]


def test_later_pages_of_a_frequent_word_rank_the_same_candidates(org_a, entries):
    newest = entries[::-1][:20]
    assert _search(org_a, "frequent", limit=5, offset=15)[0] == newest[15:20]
    # Past the candidates, an empty page; the count still says "more than".
    assert _search(org_a, "frequent", limit=5, offset=20)[0] == []
    assert PostgresBackend().count(text.query_groups("frequent"), Scope(organization_id=org_a.pk)) == 21


def test_on_an_index_smaller_than_the_window_every_match_is_ranked_at_once(org_a, entries, monkeypatch):
    monkeypatch.setattr(PostgresBackend, "WINDOW", 10**9)
    assert _search(org_a, "rare") == ([entries[0]], 2)
    assert _search(org_a, "ancien", limit=25) == (entries[:40][::-1][:20], 2)


def test_a_frequent_word_only_in_old_entries_widens_the_window(org_a, entries):
    found, statements = _search_with_statements(org_a, "ancien", limit=25)
    assert found == entries[:40][::-1][:20]
    # Sparse among the newest entries: the window's matches are read through the GIN index
    # (a walk backwards would read every newer entry first).
    assert "MATERIALIZED" in statements[-1]
    queries = len(statements)
    # Windows of 32 and 256 ids hold none of them; the next would cover the whole index.
    # Ids come from a sequence that other tests of the same worker advanced (PostgreSQL never
    # rolls a sequence back), so one more window may be tried: still bounded, never a walk.
    assert queries in (5, 6)
