"""Read a Decidim open-data ZIP: which files it holds, and their rows as dictionaries.

Decidim writes one CSV per export manifest, named ``<host>-open-data-<entity>.csv``
(``Decidim::OpenDataExporter``), with nested keys flattened by its CSV exporter into
``title/fr``, ``participatory_space/id``, ``category/name/fr``… and ``;`` as the default
separator (``Decidim.default_csv_col_sep``), ``,`` on installations that changed it.
Nothing here imports Django: the reader is checked on its own and by the importer.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

FILE_NAME = re.compile(r"^(?:.*/)?(?P<host>[A-Za-z0-9.-]+)-open-data-(?P<entity>[a-z_]+)\.csv$")
# The export manifests whose file the importer reads, in the order it reads them.
KNOWN_ENTITIES = (
    "participatory_processes",
    "assemblies",
    "proposals",
    "meetings",
    "projects",
    "results",
    "debates",
    "proposal_comments",
    "meeting_comments",
    "debate_comments",
    "project_comments",
    "result_comments",
)
MAX_CSV_BYTES = 200 * 1024 * 1024


class ExportError(Exception):
    """The file is not a Decidim open-data export this importer can read."""


@dataclass
class Export:
    host: str
    files: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def rows(self, entity: str) -> list[dict[str, str]]:
        return self.files.get(entity, [])


def _parse_csv(raw: bytes, name: str) -> list[dict[str, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExportError(f"{name} is not UTF-8 text") from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise ExportError(f"{name} has no “id” column: not a Decidim open-data file")
    try:
        return [{key: (value or "") for key, value in row.items() if key is not None} for row in reader]
    except csv.Error as error:
        raise ExportError(f"{name} is not valid CSV: {error}") from error


def read_export(path_or_file) -> Export:
    """Read every known CSV of the ZIP; raise ExportError on anything that is not one."""
    try:
        archive = zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError) as error:
        raise ExportError(f"not a ZIP file ({error})") from error
    with archive:
        matches: dict[str, tuple[str, zipfile.ZipInfo]] = {}
        hosts: set[str] = set()
        ignored: list[str] = []
        for info in archive.infolist():
            found = FILE_NAME.match(info.filename)
            if not found or found["entity"] not in KNOWN_ENTITIES:
                ignored.append(info.filename)
                continue
            hosts.add(found["host"].lower())
            matches[found["entity"]] = (found["host"].lower(), info)
        if not matches:
            raise ExportError(
                "no Decidim open-data CSV in the ZIP (expected files named "
                "<host>-open-data-proposals.csv, …-meetings.csv, …)"
            )
        if len(hosts) > 1:
            raise ExportError(
                f"the ZIP mixes the exports of several Decidim hosts: {', '.join(sorted(hosts))}"
            )
        export = Export(host=hosts.pop(), ignored=sorted(ignored))
        for entity in KNOWN_ENTITIES:
            if entity not in matches:
                continue
            _host, info = matches[entity]
            if info.file_size > MAX_CSV_BYTES:
                raise ExportError(f"{info.filename} is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB")
            try:
                raw = archive.read(info)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise ExportError(f"{info.filename} cannot be read from the ZIP ({error})") from error
            export.files[entity] = _parse_csv(raw, info.filename)
        return export


def translated(row: dict[str, str], key: str, locale: str = "fr") -> str:
    """The text of ``key`` in ``locale``, else in another language, else the plain column.

    Decidim flattens a translated field into ``key/<locale>`` columns, with machine
    translations under ``key/machine_translations/<locale>``, which come last.
    """
    for candidate in (f"{key}/{locale}", key):
        if row.get(candidate, "").strip():
            return row[candidate].strip()
    prefix = f"{key}/"
    others = sorted(
        (name for name in row if name.startswith(prefix) and row[name].strip()),
        key=lambda name: ("machine_translations" in name, name),
    )
    return row[others[0]].strip() if others else ""


SPACE_URL = re.compile(r"/(?P<kind>processes|assemblies)/(?P<slug>[^/?#]+)(?:/f/(?P<component>\d+))?")


def space_from_url(url: str) -> tuple[str, str, str] | None:
    """(kind, slug, component id or "") from a Decidim URL, e.g. …/processes/budget-2024/f/12/proposals/3."""
    found = SPACE_URL.search(url or "")
    if not found:
        return None
    kind = "process" if found["kind"] == "processes" else "assembly"
    return kind, found["slug"], found["component"] or ""
