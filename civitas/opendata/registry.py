"""The data sets of an organization's open-data archive, declared by the apps that own them.

Each app registers its data sets once, from its ``AppConfig.ready()``::

    from civitas.opendata.registry import Column, register_dataset

    register_dataset(
        "meetings",
        _("Meetings"),
        _("Published meetings of every space open to the public."),
        columns=(
            Column("id", _("Number of the meeting")),
            Column("title", _("Title")),
            ...
        ),
        rows=meeting_rows,  # organization -> iterable of dicts keyed by column name
    )

``rows`` must only yield what an anonymous visitor may see (public or transparent,
published spaces; published, not hidden resources) and never personal data: no names,
e-mails or account ids of participants. It should iterate the database in chunks
(``QuerySet.iterator()``): the archive is written row by row, so memory stays bounded
whatever the size of the data set. The archive's README lists every column from these
declarations; the export fails loudly if a row's keys differ from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Column:
    name: str
    description: Any


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Any
    description: Any
    columns: tuple[Column, ...]
    rows: Callable[[Any], Iterable[dict]]
    position: int = 100

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


_datasets: dict[str, Dataset] = {}


def register_dataset(
    name: str, title, description, *, columns, rows: Callable[[Any], Iterable[dict]], position: int = 100
) -> Dataset:
    dataset = Dataset(name, title, description, tuple(columns), rows, position)
    _datasets[name] = dataset
    return dataset


def unregister_dataset(name: str) -> None:
    _datasets.pop(name, None)


def all_datasets() -> list[Dataset]:
    return sorted(_datasets.values(), key=lambda dataset: (dataset.position, dataset.name))


def public_spaces(organization):
    """Spaces whose content goes into open data: published and not private."""
    from civitas.spaces.models import Space

    return Space.objects.filter(organization=organization, published_at__isnull=False).exclude(
        visibility="private"
    )
