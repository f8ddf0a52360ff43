"""Keep the index in step with the resources: after each commit, through the task queue.

Signals only collect ``(resource type, id)`` keys for the current transaction; one task
per transaction re-derives those documents from the database once it has committed, so
a rolled-back change never reaches the index and a burst of saves costs one task.
Moderation hides resources and blocks accounts with ``QuerySet.update()`` (no signals
per row), so the ``Moderation`` and account saves that go with them trigger the
re-indexing of the resources concerned.
"""

from __future__ import annotations

import heapq
import logging
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.text import Truncator

from civitas.search import text
from civitas.search.models import IndexEntry
from civitas.search.registry import Document, Searchable, all_searchables, searchable, searchable_for_model

logger = logging.getLogger(__name__)
EXCERPT_LENGTH = 280
BATCH_SIZE = 500
MAX_DEPENDENT_DEPTH = 3


class _Pending(threading.local):
    """Keys waiting for a commit, per thread (each thread has its own connection)."""

    def __init__(self):
        self.keys: set[tuple[str, int]] = set()
        self.components: set[int] = set()
        self.authors: set[int] = set()


_pending = _Pending()


def _flush() -> None:
    """On commit: hand everything pending to the task queue; later flushes find nothing.

    Keys left by a rolled-back transaction are flushed with the next commit: indexing
    re-reads the database, so that costs a useless re-index, never a wrong entry.
    """
    from civitas.search import tasks

    keys, components, authors = _pending.keys, _pending.components, _pending.authors
    _pending.keys, _pending.components, _pending.authors = set(), set(), set()
    if keys:
        tasks.reindex_resources(sorted(keys))
    for component_id in sorted(components):
        tasks.reindex_component(component_id)
    for author_id in sorted(authors):
        tasks.reindex_author(author_id)


def queue(resource_type: str, pk: int) -> None:
    _pending.keys.add((resource_type, int(pk)))
    transaction.on_commit(_flush)  # at once outside a transaction


def queue_component(component_id: int) -> None:
    _pending.components.add(int(component_id))
    transaction.on_commit(_flush)


def queue_author(user_id: int) -> None:
    _pending.authors.add(int(user_id))
    transaction.on_commit(_flush)


# --- Signals ----------------------------------------------------------------------


def watch(entry: Searchable) -> None:
    uid = f"civitas.search:{entry.resource_type}"
    post_save.connect(_on_resource_change, sender=entry.model, dispatch_uid=f"{uid}:save", weak=False)
    post_delete.connect(_on_resource_change, sender=entry.model, dispatch_uid=f"{uid}:delete", weak=False)


def _on_resource_change(sender, instance, **kwargs) -> None:
    entry = searchable_for_model(sender)
    if entry is not None:
        queue(entry.resource_type, instance.pk)


def _on_component_change(sender, instance, **kwargs) -> None:
    queue_component(instance.pk)


def _on_moderation_change(sender, instance, **kwargs) -> None:
    entry = searchable_for_model(instance.content_type.model_class())
    if entry is not None:
        queue(entry.resource_type, instance.object_id)


# Saves that touch none of these (a log-in's last_login…) leave the index alone.
_USER_FIELDS_THAT_MATTER = frozenset({"is_active", "deleted_at", "name", "nickname", "about"})


def _on_user_change(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.organization_id is None:
        return
    if update_fields is None or _USER_FIELDS_THAT_MATTER & set(update_fields):
        queue_author(instance.pk)


def connect_signals() -> None:
    from django.contrib.auth import get_user_model

    from civitas.components.models import Component
    from civitas.moderation.models import Moderation, UserBlock

    post_save.connect(_on_component_change, sender=Component, dispatch_uid="civitas.search:component")
    post_save.connect(_on_moderation_change, sender=Moderation, dispatch_uid="civitas.search:moderation")
    post_save.connect(_on_user_change, sender=get_user_model(), dispatch_uid="civitas.search:user")
    post_save.connect(
        lambda sender, instance, **kwargs: queue_author(instance.user_id),
        sender=UserBlock,
        dispatch_uid="civitas.search:block",
        weak=False,
    )


# --- Building entries ------------------------------------------------------------


def _cut(text: str, length: int) -> str:
    """``Truncator(text).chars(length)``, skipped when it would return the text unchanged
    (short and already NFC, as most comments are): a national reindex writes millions."""
    if len(text) <= length and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(length)


def entry_fields(document: Document) -> dict:
    space = document.space
    return {
        "organization_id": document.organization_id,
        "space_id": space.pk if space is not None else None,
        "title": _cut(document.title, 300),
        "excerpt": _cut(" ".join(document.text.split()), EXCERPT_LENGTH),
        "url": document.url[:500],
        "title_terms": text.index_terms(
            document.title if document.indexed_title is None else document.indexed_title
        ),
        "body_terms": text.index_terms(document.text),
        "space_published": space.published_at is not None if space is not None else True,
        "space_private": space.visibility == "private" if space is not None else False,
        "hidden": document.hidden,
        "author_id": document.author_id,
        "date": document.date,
    }


def index_objects(entry: Searchable, objects: Iterable, *, depth: int = 0, read_at=None) -> int:
    """Write the entries of ``objects`` (or remove them) and follow their dependents.

    ``read_at`` is when ``objects`` were read (before their query ran): an entry is only
    written over one from an earlier reading (see ``_write_unless_newer``).
    """
    read_at = read_at or timezone.now()
    count = 0
    authors: set[int] = set()
    if entry.prepare is not None:
        objects = list(objects)
        entry.prepare(objects)
    for obj in objects:
        document = entry.document(obj)
        key = {"resource_type": entry.resource_type, "object_id": obj.pk}
        if document is None:
            IndexEntry.objects.filter(**key, indexed_at__lte=read_at).delete()
            continue
        if not _write_unless_newer(key, entry_fields(document), read_at):
            # A task that read later already wrote this entry, or the space's facets changed
            # since this reading: read it again rather than lose what this reading brought.
            queue(entry.resource_type, obj.pk)
            continue
        count += 1
        if document.author_id:
            authors.add(document.author_id)
        if entry.after_index is not None:
            entry.after_index(obj)
        if entry.dependents is not None and depth < MAX_DEPENDENT_DEPTH:
            for dependent_entry, dependents in _group_by_entry(entry.dependents(obj)).items():
                index_objects(dependent_entry, dependents, depth=depth + 1, read_at=read_at)
    if depth == 0 and entry.resource_type != "profile":
        _refresh_profiles(authors)
    return count


def _write_unless_newer(key: dict, fields: dict, read_at) -> bool:
    """Write an entry stamped with the time its resource was read, unless the entry already
    holds a later reading. Two tasks about the same resource (two quick edits, an edit and
    a block) may run side by side on two consumers; the slower one, holding the older
    reading, used to write last and put the old text, or the old visibility, back.

    Returns False when a later reading is already there."""
    if IndexEntry.objects.filter(**key, indexed_at__lte=read_at).update(**fields, indexed_at=read_at):
        return True
    if IndexEntry.objects.filter(**key).exists():
        return False
    try:
        with transaction.atomic():
            IndexEntry.objects.create(**key, **fields)
            # ``auto_now`` stamped it with the time of writing: the reading's time instead.
            IndexEntry.objects.filter(**key).update(indexed_at=read_at)
    except IntegrityError:  # another task created it meanwhile: compare with its reading
        return _write_unless_newer(key, fields, read_at)
    return True


def _group_by_entry(objects) -> dict[Searchable, list]:
    grouped: dict[Searchable, list] = defaultdict(list)
    for obj in objects:
        dependent_entry = searchable_for_model(type(obj))
        if dependent_entry is not None:
            grouped[dependent_entry].append(obj)
    return grouped


def _refresh_profiles(author_ids: set[int]) -> None:
    """A first contribution makes a profile findable; the last hidden one hides it again."""
    profile = searchable("profile")
    if profile is not None and author_ids:
        index_objects(profile, profile.queryset().filter(pk__in=author_ids), depth=MAX_DEPENDENT_DEPTH)


def reindex_keys(keys: Iterable[tuple[str, int]]) -> None:
    by_type: dict[str, set[int]] = defaultdict(set)
    for resource_type, pk in keys:
        by_type[resource_type].add(int(pk))
    for resource_type, ids in by_type.items():
        entry = searchable(resource_type)
        if entry is None:
            continue
        read_at = timezone.now()
        objects = list(entry.queryset().filter(pk__in=ids))
        gone = ids - {obj.pk for obj in objects}
        if gone:
            IndexEntry.objects.filter(resource_type=resource_type, object_id__in=gone).delete()
        index_objects(entry, objects, read_at=read_at)


def reindex_component(component_id: int) -> None:
    for entry in all_searchables():
        if entry.component_field:
            objects = entry.queryset().filter(**{entry.component_field: component_id})
            index_objects(entry, objects.iterator(chunk_size=BATCH_SIZE), read_at=timezone.now())


def reindex_author(user_id: int) -> None:
    """Everything an account wrote, and its profile: after a block, unblock or deletion."""
    keys = set(
        IndexEntry.objects.filter(author_id=user_id).values_list("resource_type", "object_id").distinct()
    )
    keys.add(("profile", user_id))
    reindex_keys(keys)


def update_space_facets(space) -> int:
    """A space's publication or visibility changed: its entries follow without re-stemming."""
    # ``indexed_at`` by hand (``update()`` skips auto_now): a staged rebuild keeps entries
    # written after it started, and a space made private meanwhile must stay private.
    return IndexEntry.objects.filter(space_id=space.pk).update(
        space_published=space.published_at is not None,
        space_private=space.visibility == "private",
        indexed_at=timezone.now(),
    )


def rebuild(organization=None) -> int:
    """Rebuild every entry (of one organization, or of all), in batches of bounded size.

    Entries are written in the order of their resources' dates, every type merged: search
    takes the newest ids as the most recent matches (``backends``), so a rebuild written
    type after type made the last type written, 500,000 profiles at national scale, "the
    most recent" of everything, and the proposals and comments people look for fell out of
    a frequent word's candidates. Readers see the old index until the new one is whole."""
    if connection.vendor == "sqlite":
        return _rebuild_staged(organization)
    total = 0
    # One transaction: on PostgreSQL it costs readers nothing, and writers wait only on
    # the entries themselves.
    with transaction.atomic():
        _delete_stale(organization)
        for rows in _chunks(_rows_in_date_order(organization), BATCH_SIZE):
            _write_entries(rows)
            total += len(rows)
    return total


def _delete_stale(organization) -> None:
    for entry in all_searchables():
        stale = IndexEntry.objects.filter(resource_type=entry.resource_type)
        if organization is not None:
            stale = stale.filter(organization=organization)
        _delete_in_one_statement(stale)


def _rows_in_date_order(organization) -> Iterator[dict]:
    streams = [_typed_rows(entry, organization) for entry in all_searchables()]
    return heapq.merge(*streams, key=_row_date)


_STAGE = "civitas_search_rebuild"


def _rebuild_staged(organization) -> int:
    """SQLite has one writer for the whole database: a rebuild in one transaction held
    every vote, comment and log-in waiting for as long as it took (14 s for 70,000
    entries, past the 20 s busy timeout a little further on). So the entries are built
    into a TEMP table, which lives outside the database file and takes none of its locks,
    and only the exchange, a DELETE and an INSERT … SELECT, runs in a write transaction
    (1 s for the same 70,000 entries).

    Entries that the task queue wrote while the stage was built (an edit, a moderation, a
    block, a space made private) are newer than the stage's and win over them. An entry
    the queue deleted meanwhile comes back until the next rebuild; search checks every hit
    on the live resource, so it is never shown."""
    started = timezone.now()
    fields = [field for field in IndexEntry._meta.concrete_fields if not field.primary_key]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    total = 0
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
        # Built from model metadata only.
        cursor.execute(f"CREATE TEMP TABLE {_STAGE} AS SELECT {names} FROM {table} WHERE 0")  # noqa: S608
        try:
            insert = f"INSERT INTO temp.{_STAGE} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
            for rows in _chunks(_rows_in_date_order(organization), BATCH_SIZE):
                cursor.executemany(insert, [_stage_values(row, fields, started) for row in rows])
                total += len(rows)
            _exchange_stage(cursor, organization, started, fields)
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
    return total


def _stage_values(row: dict, fields, indexed_at) -> list:
    values = {**row, "indexed_at": indexed_at}
    return [field.get_db_prep_save(values[field.attname], connection) for field in fields]


def _exchange_stage(cursor, organization, started, fields) -> None:
    """The only write transaction of a staged rebuild: stale entries out, staged ones in, in
    the stage's order so that ids follow dates. Entries the queue wrote during the build are
    newer than the stage's: they replace theirs and go in last, with the newest ids, as they
    would have had without a rebuild (kept at their old ids, an outside tester's comments
    posted during a rebuild fell out of a frequent word's 500 most recent matches)."""
    kept = IndexEntry.objects.filter(
        indexed_at__gte=started, resource_type__in=[entry.resource_type for entry in all_searchables()]
    )
    if organization is not None:
        kept = kept.filter(organization=organization)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    kept_rows, kept_params = (
        kept.order_by("pk").values_list(*(field.attname for field in fields)).query.sql_with_params()
    )
    kept_keys, kept_keys_params = kept.values_list("resource_type", "object_id").query.sql_with_params()
    with transaction.atomic():
        # Built from the ORM's own SQL and model metadata: no user input reaches them.
        cursor.execute(
            f"DELETE FROM temp.{_STAGE} WHERE (resource_type, object_id) IN ({kept_keys})",  # noqa: S608
            kept_keys_params,
        )
        cursor.execute(f"INSERT INTO temp.{_STAGE} ({names}) {kept_rows}", kept_params)  # noqa: S608
        _delete_stale(organization)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM temp.{_STAGE} ORDER BY rowid")  # noqa: S608


_UNDATED = datetime.min.replace(tzinfo=UTC)


def _row_date(row: dict):
    return row["date"] or _UNDATED


def _typed_rows(entry: Searchable, organization) -> Iterator[dict]:
    """The rows of one resource type in the order of their dates (``heapq.merge`` needs each
    stream sorted), a batch in memory at a time."""
    for rows in _row_batches(entry, organization):
        for row in rows:
            row["resource_type"] = entry.resource_type
            yield row


def _write_entries(rows: list[dict]) -> None:
    """Insert new entries: by COPY on PostgreSQL, where ``bulk_create`` spent 0.15 ms of
    Python per entry building its statements (four of a rebuild's ten minutes at national
    scale); the full-text column is generated by the database either way."""
    if connection.vendor != "postgresql":
        IndexEntry.objects.bulk_create([IndexEntry(**row) for row in rows], batch_size=BATCH_SIZE)
        return
    now = timezone.now()
    columns = [field for field in IndexEntry._meta.concrete_fields if not field.primary_key]
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            values = {**row, "indexed_at": now}
            copy.write_row([values[field.attname] for field in columns])


def _row_batches(entry: Searchable, organization) -> Iterator[list[dict]]:
    objects = entry.queryset()
    if organization is not None:
        objects = objects.filter(**{entry.organization_field: organization})
    # Undated first, as ``_row_date`` puts them (databases disagree on where NULL sorts).
    order = [F(entry.date_field).asc(nulls_first=True), "pk"] if entry.date_field else ["pk"]
    for chunk in _chunks(objects.order_by(*order).iterator(chunk_size=BATCH_SIZE), BATCH_SIZE):
        yield _document_rows(entry, chunk)


def _document_rows(entry: Searchable, objects: list) -> list[dict]:
    """The index rows of ``objects`` (one query per batch through ``entry.prepare``), without
    those that must not be in the index at all."""
    if entry.prepare is not None:
        entry.prepare(objects)
    rows = []
    for obj in objects:
        document = entry.document(obj)
        if document is not None:
            rows.append({"object_id": obj.pk, **entry_fields(document)})
    return rows


def _delete_in_one_statement(entries) -> None:
    """Delete index entries with one DELETE. Through the ORM, the site-wide post_delete
    receivers (page freshness: IndexEntry has a space) would load every entry into memory
    and send an UPDATE for each: a national index holds millions of them."""
    query = entries.values("pk").query
    compiled, params = query.get_compiler(using=entries.db).as_sql()
    table = connection.ops.quote_name(IndexEntry._meta.db_table)
    pk = connection.ops.quote_name(IndexEntry._meta.pk.column)
    with connection.cursor() as cursor:
        # Built from the ORM's own SQL for the filter: no user input reaches it.
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({compiled})", params)  # noqa: S608


def _chunks(objects: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
