"""Write an organization's open-data archive: one CSV and one JSON file per data set, a README.

Rows go from the database cursor into the compressed stream one at a time (each data set
iterates in chunks, and is read once for both formats), so memory stays bounded whatever
the number of rows. The archive is
written to a temporary file, then stored under a new name in the default storage, and
only then recorded: a reader never gets a half-written archive.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone, translation

from civitas.core.spreadsheets import CsvWriter
from civitas.opendata.registry import Dataset, all_datasets

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"


class RowMismatch(ValueError):
    pass


def _checked(dataset: Dataset, rows):
    expected = dataset.column_names
    for row in rows:
        if list(row) != expected:
            raise RowMismatch(f"{dataset.name}: row keys {list(row)} differ from the columns {expected}")
        yield row


def write_dataset(archive: zipfile.ZipFile, dataset: Dataset, organization) -> int:
    """The data set's CSV and JSON files; returns its number of rows.

    The rows are read once: the CSV goes into the archive as they come, the JSON into a
    temporary file copied in afterwards (an archive takes one file at a time). Reading
    them twice, once per format, doubled the archive's time at national scale.
    """
    count = 0
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as json_file:
        with archive.open(f"{dataset.name}.csv", "w", force_zip64=True) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            writer = CsvWriter(stream)  # formulas neutralised (CSV injection)
            writer.writerow(dataset.column_names)
            json_file.write("[")
            for row in _checked(dataset, dataset.rows(organization)):
                writer.writerow(row.values())
                json_file.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
                count += 1
            json_file.write("\n]\n")
            stream.flush()
            stream.detach()
        json_file.seek(0)
        with archive.open(f"{dataset.name}.json", "w", force_zip64=True) as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8")
            shutil.copyfileobj(json_file, stream)
            stream.flush()
            stream.detach()
    return count


def readme(organization, counts: dict[str, int], built_at) -> str:
    lines = [
        f"# Open data — {organization.name}",
        "",
        f"Built on {built_at.isoformat()}. Licence: {LICENCE}.",
        "",
        "Each data set comes twice, with the same columns: `<name>.csv` (UTF-8, comma-separated,",
        "first line = column names) and `<name>.json` (an array of objects). Only what anyone",
        "may see on the platform is here, and no personal data: no participant's name,",
        "nickname, e-mail or account number.",
        "",
    ]
    for dataset in all_datasets():
        lines += [
            f"## {dataset.name}",
            "",
            f"{dataset.description} ({counts.get(dataset.name, 0)} rows)",
            "",
            "| column | meaning |",
            "| --- | --- |",
        ]
        lines += [f"| `{column.name}` | {column.description} |" for column in dataset.columns]
        lines.append("")
    return "\n".join(lines)


def readme_columns(text: str) -> dict[str, list[str]]:
    """The columns the README documents, per data set (used by tests and by re-users)."""
    documented: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            documented[current] = []
        elif current and line.startswith("| `"):
            documented[current].append(line.split("`")[1])
    return documented


def build_archive(organization) -> tuple[str, dict[str, int], int]:
    """Write the archive to the storage; returns (storage name, rows per data set, size)."""
    built_at = timezone.now()
    counts: dict[str, int] = {}
    handle, path = tempfile.mkstemp(suffix=".zip")
    os.close(handle)
    try:
        with (
            translation.override("en"),
            zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for dataset in all_datasets():
                counts[dataset.name] = write_dataset(archive, dataset, organization)
            archive.writestr("README.md", readme(organization, counts, built_at))
        size = os.path.getsize(path)
        name = f"opendata/{organization.pk}/opendata-{built_at:%Y%m%d-%H%M%S}.zip"
        with open(path, "rb") as source:
            name = default_storage.save(name, File(source))
    finally:
        os.unlink(path)
    return name, counts, size


def rebuild(organization):
    """Build, record, then remove the previous file."""
    from civitas.opendata.models import Archive

    name, counts, size = build_archive(organization)
    previous = Archive.objects.filter(organization=organization).values_list("file_name", flat=True).first()
    Archive.objects.update_or_create(
        organization=organization,
        defaults={
            "file_name": name,
            "size": size,
            "row_counts": counts,
            "built_at": timezone.now(),
            "requested_at": None,
        },
    )
    if previous and previous != name:
        default_storage.delete(previous)
    return name
