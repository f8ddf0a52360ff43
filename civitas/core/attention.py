"""What needs an admin's attention, declared by the apps where the work waits.

The back-office dashboard lists, with a count and a link to the page where it is done,
everything waiting for someone: reports to moderate, paper batches to key, proposals
awaiting an official answer, votes about to close… It never names an app: each app
registers its items once, from its ``AppConfig.ready()``::

    from civitas.core.attention import AttentionItem, register_attention

    def batches_to_key(scope):
        rows = Batch.objects.filter(survey__component__space__in=scope.spaces, counted_at__isnull=True)
        ...
        return [AttentionItem(count=..., text=ngettext(...), url=..., where=...)]

    register_attention("survey_batches", batches_to_key, position=30)

``scope.spaces`` is the queryset of the spaces the reader administers (all the
organization's spaces for an organization admin): every count is filtered by it, or by
``scope.organization`` for what belongs to no space, and then only when
``scope.whole_organization`` is true (a space admin never sees the organization's
blocked accounts). A collector runs a fixed number of queries, whatever the data: the
dashboard's query count does not grow with the number of spaces or of waiting items.
Items with a count of zero are left out by the dashboard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Scope:
    organization: Any
    spaces: Any  # a queryset of Space
    whole_organization: bool


@dataclass(frozen=True)
class AttentionItem:
    count: int
    text: str  # what waits, with its plural chosen by the count, without the number
    url: str
    where: str = ""  # the space or component it is in, when the item is about one
    urgent: bool = False  # shown first and marked (e.g. a vote that closes within a day)
    badge: str = ""  # shown instead of the count when set (a closing date)


@dataclass(frozen=True)
class AttentionSource:
    key: str
    collect: Callable[[Scope], list[AttentionItem]]
    position: int = 100


_sources: dict[str, AttentionSource] = {}


def register_attention(key: str, collect: Callable[[Scope], list[AttentionItem]], *, position: int = 100):
    """Registering the same key again replaces it (tests may register items of their own)."""
    source = AttentionSource(key, collect, position)
    _sources[key] = source
    return source


def unregister_attention(key: str) -> None:
    _sources.pop(key, None)


def all_attention_sources() -> list[AttentionSource]:
    return sorted(_sources.values(), key=lambda source: (source.position, source.key))


def attention_items(scope: Scope) -> list[AttentionItem]:
    """Every registered item with something waiting, urgent ones first, then by position."""
    items = [item for source in all_attention_sources() for item in source.collect(scope) if item.count > 0]
    return sorted(items, key=lambda item: not item.urgent)  # stable: keeps the positions' order


def by_component(
    rows, component_path: str, *, text: Callable[[int], str], url: Callable, counting: str = "pk"
) -> list[AttentionItem]:
    """One item per component from ``rows`` (already scoped), in two queries whatever their number.

    ``component_path`` leads from a row to its component (``"survey__component"``); ``text``
    says a count in words, ``url(component)`` is the page where the work is done; the
    distinct values of ``counting`` are counted (a form keyed twice is one form).
    """
    from django.db.models import Count

    from civitas.components.models import Component

    counts = dict(
        rows.order_by().values_list(f"{component_path}_id").annotate(total=Count(counting, distinct=True))
    )
    if not counts:
        return []
    components = Component.objects.filter(pk__in=counts).select_related("space")
    return [
        AttentionItem(
            count=counts[component.pk],
            text=text(counts[component.pk]),
            url=url(component),
            where=f"{component.space.title} · {component.name}",
        )
        for component in components.order_by("space__position", "space_id", "position", "pk")
    ]


def closing_soon(targets, *, days: int, text: Callable, url: Callable, now=None) -> list[AttentionItem]:
    """One item per open vote of ``targets`` (already scoped, with a ``closes_at`` and a
    ``component``) that closes within ``days``; urgent when within a day. One query."""
    import datetime

    from django.utils import formats, timezone

    now = now or timezone.now()
    soon = targets.filter(
        closes_at__gt=now, closes_at__lte=now + datetime.timedelta(days=days), frozen_at__isnull=True
    ).select_related("component__space")
    return [
        AttentionItem(
            count=1,
            text=text(target.closes_at),
            url=url(target.component),
            where=f"{target.component.space.title} · {target.component.name}",
            urgent=target.closes_at - now <= datetime.timedelta(days=1),
            badge=formats.date_format(timezone.localtime(target.closes_at), "j N"),
        )
        for target in soon.order_by("closes_at", "pk")
    ]
