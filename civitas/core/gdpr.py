"""Registry of the personal data each app holds, for the GDPR export.

An app registers a function returning rows (a list of flat dicts) for a user; the
export writes each as JSON and CSV in one ZIP. Files that are the person's own (their
avatar) are registered apart and copied under ``files/``. New apps add their data
without touching this module.

Each registration also says which links to a person it answers for: ``covers`` lists the
(model, field) pairs whose rows it exports to the person the field points at, and
``withholds`` the fields naming *someone else* that its rows deliberately leave out, each
with the reason. A test walks every model and fails on a foreign key, one-to-one or
many-to-many to the user model that no registration covers or withholds, so a new model
holding personal data cannot slip out of the export unnoticed.
"""

import io
import json
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from civitas.core.spreadsheets import csv_text

Exporter = Callable[[object], list[dict]]
# (name in the archive under files/, stored file) pairs of a person's own files.
FileExporter = Callable[[object], list[tuple[str, object]]]
# A model class, or its "app_label.ModelName" label, and the name of a field to the user model.
ModelField = tuple[type[models.Model] | str, str]


@dataclass(frozen=True)
class Registration:
    name: str
    exporter: Exporter
    covers: frozenset[tuple[str, str]] = frozenset()
    withholds: Mapping[tuple[str, str], str] = field(default_factory=dict)


_registrations: dict[str, Registration] = {}
_file_exporters: dict[str, FileExporter] = {}


def _label(model: type[models.Model] | str) -> str:
    return model if isinstance(model, str) else model._meta.label


def register_export(
    name: str,
    *,
    covers: Iterable[ModelField] = (),
    withholds: Mapping[ModelField, str] | None = None,
) -> Callable[[Exporter], Exporter]:
    """Register ``name`` as one data set of the export.

    ``covers``: the (model, user field) pairs whose rows the data set gives to the person
    the field names. ``withholds``: (model, user field) → why the data set's rows leave
    that other person out (e.g. the moderator who blocked an account, in that account's
    export).
    """
    covered = frozenset((_label(model), field_name) for model, field_name in covers)
    withheld = {
        (_label(model), field_name): reason for (model, field_name), reason in (withholds or {}).items()
    }
    if any(not reason.strip() for reason in withheld.values()):
        raise ValueError(f"GDPR export {name!r}: every withheld field needs its reason.")

    def decorator(function: Exporter) -> Exporter:
        _registrations[name] = Registration(name, function, covered, withheld)
        return function

    return decorator


def register_export_files(name: str) -> Callable[[FileExporter], FileExporter]:
    """Register a function giving a person's own stored files: ``[(archive name, file)]``."""

    def decorator(function: FileExporter) -> FileExporter:
        _file_exporters[name] = function
        return function

    return decorator


def registrations() -> list[Registration]:
    return [registration for _, registration in sorted(_registrations.items())]


def build_export(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for registration in registrations():
            rows = registration.exporter(user)
            archive.writestr(
                f"{registration.name}.json", json.dumps(rows, ensure_ascii=False, indent=2, default=str)
            )
            archive.writestr(f"{registration.name}.csv", _to_csv(rows))
        for _name, exporter in sorted(_file_exporters.items()):
            for archive_name, stored in exporter(user):
                try:
                    with stored.open("rb") as handle:
                        archive.writestr(f"files/{archive_name}", handle.read())
                except FileNotFoundError:
                    continue
        archive.writestr(
            "README.txt",
            "Civitas personal data export\n"
            f"Generated: {timezone.now().isoformat()}\n"
            "Each data set is given twice: as JSON and as CSV (UTF-8, comma-separated).\n"
            "Your own files (your avatar) are in the files folder.\n"
            f"Data sets: {', '.join(sorted(_registrations))}\n",
        )
    return buffer.getvalue()


def iso(value) -> str:
    """A date or time as ISO 8601, or "" when there is none: the export's one format for them."""
    return value.isoformat() if value else ""


def _to_csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    return csv_text(columns, rows)
