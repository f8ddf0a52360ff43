"""What can be found by the global search, declared by the apps that own it.

An app (a component, or a core app) registers each searchable model once, from its
``AppConfig.ready()``::

    from civitas.search.registry import Document, register_searchable

    def meeting_document(meeting):
        component = meeting.component
        return Document(
            organization_id=component.space.organization_id,
            space=component.space,
            title=meeting.title,
            text=plain_text(meeting.description),
            url=meeting.get_absolute_url(),
            hidden=not (meeting.published_at and component.is_published) or meeting.hidden_at is not None,
            author_id=meeting.author_id,
            date=meeting.start_time,
        )

    register_searchable(
        "meeting",
        _("Meetings"),
        Meeting,
        document=meeting_document,
        queryset=lambda: Meeting.objects.select_related("component__space"),
        organization_field="component__space__organization",
        component_field="component",
        dependents=comments_of,  # its comments follow its visibility
        date_field="start_time",  # what ``date`` is
    )

That is all: saving or deleting a ``Meeting`` queues it for indexing after the
transaction commits; publishing or unpublishing its component, changing its space's
visibility, hiding it through moderation or blocking its author updates the index too.

``document`` returns ``None`` for an object that must not be in the index at all, and
``hidden=True`` for one that exists but nobody may find (unpublished, hidden by
moderation, by a blocked or deleted author, in an unpublished component). Whether its
space is published and private is read from ``space``. The same function is called
again on the live object before a result is shown, so a stale index never shows a
reader what the page would not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Document:
    organization_id: int
    title: str
    text: str
    url: str
    space: Any = None  # a Space, or None for organization-wide resources (profiles)
    hidden: bool = False
    author_id: int | None = None
    date: datetime | None = None
    # The title is indexed unless this says otherwise: a comment's displayed title names
    # the proposal it is about, which must not make every comment match that title.
    indexed_title: str | None = None


@dataclass(frozen=True)
class Searchable:
    resource_type: str
    label: Any
    model: type
    document: Callable[[Any], Document | None]
    queryset: Callable[[], Any]
    organization_field: str
    component_field: str | None = None
    dependents: Callable[[Any], Iterable[Any]] | None = None
    after_index: Callable[[Any], None] | None = None
    position: int = 100
    # Called with each batch of objects before their documents are built, to read in one
    # query what ``document`` would otherwise read once per object (a full reindex of
    # 500,000 profiles cannot afford a query each).
    prepare: Callable[[list], None] | None = None
    # The model field ``Document.date`` comes from. A rebuild reads each type in that order
    # and merges the types, so that entries are written in date order whatever their type:
    # search takes the newest ids as the most recent matches.
    date_field: str | None = None


_by_type: dict[str, Searchable] = {}


def register_searchable(
    resource_type: str,
    label,
    model,
    *,
    document: Callable[[Any], Document | None],
    queryset: Callable[[], Any] | None = None,
    organization_field: str,
    component_field: str | None = None,
    dependents: Callable[[Any], Iterable[Any]] | None = None,
    after_index: Callable[[Any], None] | None = None,
    position: int = 100,
    prepare: Callable[[list], None] | None = None,
    date_field: str | None = None,
) -> Searchable:
    """Declare ``model`` searchable as ``resource_type``; registering again replaces the entry."""
    entry = Searchable(
        resource_type=resource_type,
        label=label,
        model=model,
        document=document,
        queryset=queryset or model._default_manager.all,
        organization_field=organization_field,
        component_field=component_field,
        dependents=dependents,
        after_index=after_index,
        position=position,
        prepare=prepare,
        date_field=date_field,
    )
    _by_type[resource_type] = entry
    from civitas.search import indexing

    indexing.watch(entry)
    return entry


def searchable(resource_type: str) -> Searchable | None:
    return _by_type.get(resource_type)


def searchable_for_model(model) -> Searchable | None:
    for entry in _by_type.values():
        if entry.model is model or (
            getattr(model, "_meta", None) and entry.model._meta.label_lower == model._meta.label_lower
        ):
            return entry
    return None


def all_searchables() -> list[Searchable]:
    return sorted(_by_type.values(), key=lambda entry: (entry.position, entry.resource_type))
