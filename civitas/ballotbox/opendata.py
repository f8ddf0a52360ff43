"""The "sealed_files" data set of the open-data archive: each published sealed file and its seal.

The seal is what a recount is compared with (``python -m civitas.recount FILE --seal
SEAL``), so it is published in one more place than the results page, where changing it
would take another system. Each app with sealed votes declares its target model once,
from its ``AppConfig.ready()``::

    register_sealed_files(
        Survey,
        visible=lambda survey: survey.results_published_at is not None,
        file_url=lambda survey: f"{survey.component.get_absolute_url()}answers.jsonl",
    )

Only closed targets of published components in public spaces whose results are shown
appear, as on the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from civitas.opendata.registry import Column, public_spaces, register_dataset


@dataclass(frozen=True)
class SealedFiles:
    model: Any
    visible: Callable[[Any], bool]
    file_url: Callable[[Any], str]


_sources: dict[str, SealedFiles] = {}


def sealed_file_rows(organization) -> Iterator[dict]:
    spaces = public_spaces(organization)
    for label in sorted(_sources):
        source = _sources[label]
        targets = (
            source.model.objects.filter(
                frozen_at__isnull=False, component__published_at__isnull=False, component__space__in=spaces
            )
            .select_related("component__space")
            .order_by("pk")
        )
        for target in targets.iterator(chunk_size=500):
            if not source.visible(target):
                continue
            about = (target.sealed_header or {}).get("about") or target.sealing_about()
            yield {
                "kind": target.sealing_kind,
                "space": target.component.space.slug,
                "component_id": target.component_id,
                "title": about.get("title", ""),
                "closed_on": target.closed_on(),
                "format_version": (target.sealed_header or {}).get("version", 1),
                "receipt_mode": target.published_receipt_mode,
                "seal": target.grouped_seal,
                "file_url": source.file_url(target),
            }


def register_sealed_files(model, *, visible: Callable[[Any], bool], file_url: Callable[[Any], str]) -> None:
    _sources[model._meta.label] = SealedFiles(model, visible, file_url)
    register_dataset(
        "sealed_files",
        _("Sealed files"),
        _(
            "Closed consultations and votes whose results are published: where to download their "
            "anonymous records, and the seal a recount must find."
        ),
        columns=(
            Column("kind", _("survey, majority_judgment or budget")),
            Column("space", _("Short name of the space in addresses")),
            Column("component_id", _("Number of the component within the space")),
            Column("title", _("Title, as written in the sealed file")),
            Column("closed_on", _("Day of closing, YYYY-MM-DD (local time, like the records' days)")),
            Column("format_version", _("Version of the file format (2: the seal covers the whole file)")),
            Column(
                "receipt_mode", _("reveal: a receipt leads to its record; inclusion: it proves counting only")
            ),
            Column(
                "seal",
                _("SHA-256 seal in groups of four, which the recount (--seal) must find"),
            ),
            Column("file_url", _("Address of the sealed file (JSON lines) on the platform")),
        ),
        rows=sealed_file_rows,
        position=60,
    )
