"""The search itself: match and rank in the backend, then check each hit on the live resource."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from civitas.search import text
from civitas.search.backends import MAX_CANDIDATES, Scope, get_backend
from civitas.search.models import IndexEntry
from civitas.search.registry import Document, searchable
from civitas.spaces import access

MAX_QUERY_LENGTH = 200
MAX_PAGE = 25  # 25 pages of 20 = the 500 ranked candidates (backends.MAX_CANDIDATES)


@dataclass
class Hit:
    entry: IndexEntry
    resource: Any
    document: Document
    label: Any
    space: Any


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    number: int = 1
    has_next: bool = False
    searched: bool = False  # false when the query had no meaningful word
    # Matches in the index the reader may see; past the candidates' bound only "more than".
    total: int = 0

    @property
    def total_is_bounded(self) -> bool:
        return self.total > MAX_CANDIDATES

    @property
    def bound(self) -> int:
        return MAX_CANDIDATES

    def last_number(self, per_page: int = 20) -> int:
        """The last page that has results (at most MAX_PAGE, the candidates' bound)."""
        shown = min(self.total, MAX_CANDIDATES)
        return max(1, min(MAX_PAGE, -(-shown // per_page)))

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def bounded_query(query: str) -> str:
    """The query as searched: at most MAX_QUERY_LENGTH characters, cut between words (a
    word cut in half would search for another word, or for nothing)."""
    query = (query or "").strip()
    if len(query) <= MAX_QUERY_LENGTH:
        return query
    kept = query[:MAX_QUERY_LENGTH]
    if kept[-1].isalnum() and query[MAX_QUERY_LENGTH].isalnum():  # cut inside a word
        before_the_word = kept[: len(kept) - len(_LAST_WORD.search(kept).group())]
        if before_the_word.strip():  # a query of one long word is cut anyway
            kept = before_the_word
    return kept.rstrip()


_LAST_WORD = re.compile(r"[^\W_]*$")


def scope_for(user, organization, *, resource_type=None, space_id=None) -> Scope:
    is_admin = access.is_organization_admin_of(user, organization.pk)
    member_of = frozenset(access.roles_by_space(user)) if user.is_authenticated else frozenset()
    return Scope(
        organization_id=organization.pk,
        member_space_ids=member_of,
        sees_all_private=is_admin,
        resource_type=resource_type,
        space_id=space_id,
    )


def may_see(user, organization, document: Document | None) -> bool:
    """The live check behind every hit: the same rule as the facets, from the resource itself."""
    if document is None or document.hidden or document.organization_id != organization.pk:
        return False
    space = document.space
    if space is None:
        return True
    return space.is_published and user.has_perm("spaces.view_space", space)


def search(*, user, organization, query: str, resource_type=None, space_id=None, page=1, per_page=20):
    query = bounded_query(query)
    number = max(1, min(int(page), MAX_PAGE))
    result = SearchPage(query=query, number=number)
    groups = text.query_groups(query)
    if not groups:
        return result
    result.searched = True
    scope = scope_for(user, organization, resource_type=resource_type, space_id=space_id)
    backend = get_backend()
    ids = backend.search(groups, scope, limit=per_page + 1, offset=(number - 1) * per_page)
    result.total = backend.count(groups, scope)
    result.has_next = len(ids) > per_page and number < MAX_PAGE
    entries = IndexEntry.objects.in_bulk(ids[:per_page])
    ordered = [entries[pk] for pk in ids[:per_page] if pk in entries]
    result.hits = _checked_hits(user, organization, ordered)
    return result


def _checked_hits(user, organization, entries: list[IndexEntry]) -> list[Hit]:
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        wanted[entry.resource_type].add(entry.object_id)
    resources: dict[tuple[str, int], Any] = {}
    for resource_type, ids in wanted.items():
        described = searchable(resource_type)
        if described is None:
            continue
        found = list(described.queryset().filter(pk__in=ids))
        if described.prepare is not None:
            # What each document needs, read once for the page (whether a profile's owner
            # took part), not once per hit.
            described.prepare(found)
        for obj in found:
            resources[(resource_type, obj.pk)] = obj
    hits = []
    for entry in entries:
        resource = resources.get((entry.resource_type, entry.object_id))
        described = searchable(entry.resource_type)
        if resource is None or described is None:
            continue
        document = described.document(resource)
        if may_see(user, organization, document):
            hits.append(Hit(entry, resource, document, described.label, document.space))
    return hits
