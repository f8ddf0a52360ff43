"""Full-text matching and ranking: one interface, a backend per database vendor.

Both backends receive the same query groups from ``text.query_groups`` and filter on the
same visibility facets; only the full-text operator and the ranking function differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from civitas.search import text


@dataclass(frozen=True)
class Scope:
    """What the reader may see, as facets: the organization and the private spaces open to them."""

    organization_id: int
    member_space_ids: frozenset[int] = field(default_factory=frozenset)
    sees_all_private: bool = False  # organization admins
    resource_type: str | None = None
    space_id: int | None = None


def _facets(scope: Scope, table: str) -> tuple[str, list]:
    clauses = [f"{table}.organization_id = %s", f"{table}.hidden = %s"]
    params: list = [scope.organization_id, False]
    private = f"{table}.space_private = %s"
    private_params: list = [False]
    if scope.sees_all_private:
        private, private_params = "1 = 1", []
    elif scope.member_space_ids:
        ids = sorted(scope.member_space_ids)
        private = f"({private} OR {table}.space_id IN ({', '.join(['%s'] * len(ids))}))"
        private_params += ids
    clauses.append(f"({table}.space_id IS NULL OR ({table}.space_published = %s AND {private}))")
    params += [True, *private_params]
    if scope.resource_type:
        clauses.append(f"{table}.resource_type = %s")
        params.append(scope.resource_type)
    if scope.space_id:
        clauses.append(f"{table}.space_id = %s")
        params.append(scope.space_id)
    return " AND ".join(clauses), params


# Ranking scores every candidate, so a very common word would score most of the index.
# Candidates are therefore the most recent matches, at most this many, which keeps the
# cost of a query bounded whatever the size of the index; rare words, the ones people
# search with, fall far below the bound and are ranked in full.
MAX_CANDIDATES = 500


class SqliteBackend:
    """FTS5 table ``search_fts`` over the entries' terms, ranked by BM25 (titles weigh more).

    Both statements join with ``CROSS JOIN``, which makes SQLite read the full-text index
    first and look each match's entry up: left to choose, it read the count's join the other
    way, every entry of the organization probing the full-text index once (3 s for one
    word at 140,000 entries, 34 s for twelve, so a few visitors held every server thread).
    """

    def search(self, groups, scope: Scope, *, limit: int, offset: int) -> list[int]:
        where, params = _facets(scope, "e")
        # ``where`` is built from fixed column names and placeholders only.
        sql = (
            "SELECT id FROM (SELECT e.id AS id, bm25(search_fts, 4.0, 1.0) AS score "  # noqa: S608
            "FROM search_fts CROSS JOIN search_indexentry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} "
            "ORDER BY search_fts.rowid DESC LIMIT %s) "
            "ORDER BY score, id DESC LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text.fts5_query(groups), *params, MAX_CANDIDATES, limit, offset])
            return [row[0] for row in cursor.fetchall()]

    def count(self, groups, scope: Scope) -> int:
        """How many entries match, counted up to one past the candidates' bound."""
        where, params = _facets(scope, "e")
        sql = (
            "SELECT COUNT(*) FROM (SELECT 1 FROM search_fts "  # noqa: S608
            "CROSS JOIN search_indexentry e ON e.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND {where} LIMIT %s)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [text.fts5_query(groups), *params, MAX_CANDIDATES + 1])
            return cursor.fetchone()[0]


class PostgresBackend:
    """Generated ``search_vector`` column (titles weigh A) with a GIN index, ranked by ts_rank.

    Asked at once for "the most recent matches" (``ORDER BY id DESC LIMIT``), PostgreSQL
    walks the primary key backwards testing every entry, betting that matches are frequent:
    a word found in no entry, or only in old ones, read every row of the index (2 s for 1.1
    million entries). So the matches among the newest entries (a window of ids) are read
    first, up to ``MAX_CANDIDATES``, counted and ranked at once. When the window holds that
    many, the word is frequent: its candidates are the window's most recent matches, already
    ranked, and the page says "more than".
    Otherwise every match is counted through the GIN index, up to one past the bound. When
    there are no more than that, they are all candidates and are read through the index
    too. When there are more, the window grows eight times each step until one holds
    ``MAX_CANDIDATES`` matches. Counting every match of a frequent word first, as before,
    cost up to 190 ms of a search at 1.6 million entries, for a "more than 500" on the page.
    """

    WINDOW = 65_536  # ids in the first window

    def __init__(self):
        self._counted: dict = {}

    def search(self, groups, scope: Scope, *, limit: int, offset: int) -> list[int]:
        query = text.tsquery(groups)
        key = (tuple(groups), scope)

        def newest_ranked(low: int, *, sparse: bool) -> tuple[int, list[int]]:
            return self._newest_ranked(scope, query, low, sparse=sparse, limit=limit, offset=offset)

        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM search_indexentry")
            top = cursor.fetchone()[0] or 0
        window = self.WINDOW
        found, ranked = newest_ranked(top - window, sparse=False)
        if found >= MAX_CANDIDATES:
            self._counted[key] = MAX_CANDIDATES + 1
            return ranked
        if window >= top:
            self._counted[key] = found  # the window was the whole index
            return ranked
        matches = self.count(groups, scope)
        if matches == found:
            return ranked  # every match is among the newest
        if matches <= MAX_CANDIDATES:
            return newest_ranked(0, sparse=True)[1]  # all of them, through the GIN index
        # Frequent, but not among the newest entries: the window grows eight times a step
        # until it holds enough matches or covers the whole index.
        while True:
            before, window = found, window * 8
            low = top - window if window < top else 0
            # Walking ids backwards from the newest is quick where matches are dense there;
            # where the window before held few (at 1.6 M entries the newest were profiles,
            # which seldom hold "impôts"), the walk read most of the window (505,000 rows,
            # 546 ms) while its matches, read through the GIN index, were a few thousand
            # (57 ms).
            found, ranked = newest_ranked(low, sparse=before * 8 < MAX_CANDIDATES)
            if found >= MAX_CANDIDATES or low == 0:
                return ranked

    @staticmethod
    def _newest_ranked(scope, query: str, low: int, *, sparse: bool, limit: int, offset: int):
        """How many of the newest ``MAX_CANDIDATES`` matches with ids above ``low`` there are,
        and the page ``limit``/``offset`` of them ranked: one statement, each row read once.
        The rank is computed on those candidates only, and only their vectors are read.
        ``sparse``: matches are few among the ids above ``low``, so they are read through
        the GIN index first (MATERIALIZED keeps the planner from walking the ids anyway)."""
        where, params = _facets(scope, "e")
        # ``match`` is built from fixed column names and placeholders only.
        match = f"e.search_vector @@ to_tsquery('simple', %s) AND {where}"
        if sparse:
            newest = (
                "WITH found AS MATERIALIZED (SELECT e.id FROM search_indexentry e "  # noqa: S608
                f"WHERE {match} AND e.id > %s), "
                "newest AS (SELECT e.id, e.search_vector FROM search_indexentry e "
                "JOIN (SELECT id FROM found ORDER BY id DESC LIMIT %s) latest ON latest.id = e.id)"
            )
        else:
            newest = (
                "WITH newest AS (SELECT e.id, e.search_vector FROM search_indexentry e "  # noqa: S608
                f"WHERE {match} AND e.id > %s ORDER BY e.id DESC LIMIT %s)"
            )
        with connection.cursor() as cursor:
            cursor.execute(
                f"{newest} SELECT (SELECT COUNT(*) FROM newest), ARRAY(SELECT id FROM newest "  # noqa: S608
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, id DESC LIMIT %s OFFSET %s)",
                [query, *params, low, MAX_CANDIDATES, query, limit, offset],
            )
            return cursor.fetchone()

    def count(self, groups, scope: Scope) -> int:
        """How many entries match, counted up to one past the candidates' bound (once per
        query and scope: ``search`` needs it too)."""
        key = (tuple(groups), scope)
        if key not in self._counted:
            where, params = _facets(scope, "e")
            sql = (
                "SELECT COUNT(*) FROM (SELECT 1 FROM search_indexentry e "  # noqa: S608
                f"WHERE e.search_vector @@ to_tsquery('simple', %s) AND {where} LIMIT %s) matches"
            )
            with connection.cursor() as cursor:
                cursor.execute(sql, [text.tsquery(groups), *params, MAX_CANDIDATES + 1])
                self._counted[key] = cursor.fetchone()[0]
        return self._counted[key]


def get_backend():
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SqliteBackend()
    raise NotImplementedError(f"no search backend for {connection.vendor}")
