"""The search index of the national data set, written as the indexing task writes it.

Each entry is made by the real ``civitas.search.indexing.entry_fields`` from the same
``Document`` the registered searchable would build (``_proposal_document``,
``_comment_document``, ``_profile_document``); only the reading of the resource back from
the database is skipped, the generator holding it already. Proposal and comment entries
are written by the steps that write those rows (``proposals.py``), with ``index_rows``;
``index_profiles`` writes one entry per account at the end, as the account's creation
would have (hidden for the silent ones, as ``core.activity`` says). The test checks
entries against the ones the real indexing writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from civitas.search.indexing import entry_fields
from civitas.search.models import IndexEntry
from civitas.search.registry import Document
from national.bulk import analyze, copy_rows, create_indexes, drop_secondary_indexes

FIELDS = [
    "resource_type",
    "object_id",
    "organization",
    "space",
    "title",
    "excerpt",
    "url",
    "title_terms",
    "body_terms",
    "space_published",
    "space_private",
    "hidden",
    "author_id",
    "date",
    "indexed_at",
]


def fields_of(document: Document) -> dict:
    """What the real indexing writes for ``document`` (it skips the truncation of short texts)."""
    return entry_fields(document)


def entry_row(resource_type: str, object_id: int, document: Document, indexed_at) -> tuple:
    fields = fields_of(document)
    return (
        resource_type,
        object_id,
        fields["organization_id"],
        fields["space_id"],
        fields["title"],
        fields["excerpt"],
        fields["url"],
        fields["title_terms"],
        fields["body_terms"],
        fields["space_published"],
        fields["space_private"],
        fields["hidden"],
        fields["author_id"],
        fields["date"],
        indexed_at,
    )


def start_bulk_load(context) -> None:
    """Step: drop the index's plain indexes (the full-text GIN index above all) until
    ``finish_bulk_load``: built once over 1.6 million entries rather than kept up to date."""
    context.plans["search indexes"] = drop_secondary_indexes(IndexEntry)


def finish_bulk_load(context) -> None:
    """Step: build the index's plain indexes again, as the migrations define them."""
    create_indexes(context.plans.pop("search indexes"))
    analyze(IndexEntry)


def index_rows(rows: Iterable[tuple]) -> int:
    """COPY entry rows (``entry_row``'s tuples) into the index."""
    return copy_rows(IndexEntry, FIELDS, rows)


def index_profiles(context) -> None:
    """One entry per account, as its creation queued it; shown once the person took part."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    profile_url = reverse("core:profile", args=["NICKNAME"])  # nicknames need no quoting
    from civitas.core import activity

    # Who took part, from the registered activity sources themselves: ``has_activity`` asks
    # them for one person at a time, and ``inactive_profiles`` puts them in NOT IN
    # subqueries that PostgreSQL cannot hash at this size (hours for 500,000 accounts).
    active = set()
    for source in activity._sources:
        for row in source(context.organization).order_by().distinct().iterator(chunk_size=20_000):
            active.update(row.values())
    # The admin, created through the real code, has its entry already.
    indexed = IndexEntry.objects.filter(resource_type="profile").values("object_id")
    users = (
        get_user_model()
        .objects.filter(organization=context.organization)
        .exclude(pk__in=indexed)
        .order_by("pk")
        .values_list("pk", "name", "nickname", "about", "date_joined", "is_active", "deleted_at")
    )

    def rows() -> Iterator[tuple]:
        for pk, name, nickname, about, joined, is_active, deleted in users.iterator(chunk_size=5000):
            document = Document(
                organization_id=context.organization.pk,
                title=f"{name} (@{nickname})",
                text=about,
                url=profile_url.replace("NICKNAME", nickname),
                hidden=not is_active or deleted is not None or pk not in active,
                date=joined,
            )
            yield entry_row("profile", pk, document, context.now)

    context.count("search entries (profiles)", index_rows(rows()))
