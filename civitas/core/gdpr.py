"""Registry of the personal data each app holds, for the GDPR export.

An app registers a function returning rows (a list of flat dicts) for a user; the
export writes each as JSON and CSV in one ZIP. New apps add their data without
touching this module.
"""

import io
import json
import zipfile
from collections.abc import Callable

from django.utils import timezone

from civitas.core.spreadsheets import csv_text

Exporter = Callable[[object], list[dict]]
_exporters: dict[str, Exporter] = {}


def register_export(name: str) -> Callable[[Exporter], Exporter]:
    def decorator(function: Exporter) -> Exporter:
        _exporters[name] = function
        return function

    return decorator


def build_export(user) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, exporter in sorted(_exporters.items()):
            rows = exporter(user)
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2, default=str))
            archive.writestr(f"{name}.csv", _to_csv(rows))
        archive.writestr(
            "README.txt",
            "Civitas personal data export\n"
            f"Generated: {timezone.now().isoformat()}\n"
            "Each data set is given twice: as JSON and as CSV (UTF-8, comma-separated).\n"
            f"Data sets: {', '.join(sorted(_exporters))}\n",
        )
    return buffer.getvalue()


def _to_csv(rows: list[dict]) -> str:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    return csv_text(columns, rows)
