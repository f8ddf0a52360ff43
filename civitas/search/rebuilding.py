"""A full rebuild of the index, its documents built in several processes.

Building a document is the costly part of a rebuild (reading the resource, cutting and
stemming its words: about 0.35 ms of CPU each), and it is pure CPU, so one Python
process uses one core: 1.6 million entries took 12 minutes. Here forked workers build
the rows of ranges of ids and this process only writes them, inside the one transaction
per resource type that lets a search running meanwhile see the old entries or the new
ones, never none. Workers read committed data through their own connections, so they
are forked before any transaction opens, with this process's connections closed (a
forked child must never use its parent's socket).
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterator

from django.db import connections

from civitas.search.registry import searchable

# Ids per task: small enough that a task's rows (about 1 KB each) stay a few MB in
# transit, large enough that the fixed cost of a task (its queries) is amortised.
TASK_SIZE = 2000
# Tasks in flight per worker: the writer never waits for a worker, and finished rows
# never pile up in memory faster than they are written.
IN_FLIGHT_PER_WORKER = 2


class ParallelBuilder:
    """A pool of forked workers building index rows; use as a context manager."""

    def __init__(self, workers: int):
        self.workers = workers
        self.pool = None

    def __enter__(self) -> ParallelBuilder:
        connections.close_all()
        self.pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if error is None:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()

    def row_batches(self, resource_type: str, organization_id: int | None) -> Iterator[list[dict]]:
        """The rows of every ``resource_type`` of the organization (of all with None), a
        task's worth at a time, in order of id."""
        pending: deque = deque()
        for low, high in id_ranges(resources(resource_type, organization_id), TASK_SIZE):
            task = (resource_type, organization_id, low, high)
            pending.append(self.pool.apply_async(build_rows, task))
            if len(pending) >= self.workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def resources(resource_type: str, organization_id: int | None):
    entry = searchable(resource_type)
    objects = entry.queryset()
    if organization_id is not None:
        objects = objects.filter(**{entry.organization_field: organization_id})
    return objects


def id_ranges(objects, size: int) -> list[tuple[int | None, int | None]]:
    """Ranges ``[low, high)`` of ids covering ``objects``, ``size`` ids each; the first starts
    at None and the last ends at None, so a row added meanwhile is never left out."""
    ids = objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=10 * size)
    starts = [pk for position, pk in enumerate(ids) if position and position % size == 0]
    return list(zip([None, *starts], [*starts, None], strict=True))


def build_rows(
    resource_type: str, organization_id: int | None, low: int | None, high: int | None
) -> list[dict]:
    """In a worker: the index rows of the resources with ids in ``[low, high)``."""
    from civitas.search.indexing import BATCH_SIZE, document_rows

    entry = searchable(resource_type)
    objects = resources(resource_type, organization_id)
    if low is not None:
        objects = objects.filter(pk__gte=low)
    if high is not None:
        objects = objects.filter(pk__lt=high)
    rows: list[dict] = []
    for chunk in _chunks(list(objects.order_by("pk")), BATCH_SIZE):
        rows.extend(document_rows(entry, chunk))
    return rows


def _chunks(objects: list, size: int) -> Iterator[list]:
    for start in range(0, len(objects), size):
        yield objects[start : start + size]
