"""Stream large exports row by row, so memory stays flat whatever the number of rows."""

import csv
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse


class _Echo:
    """A file-like object whose write returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: list[str], rows: Iterable[dict]) -> Iterator[str]:
    writer = csv.DictWriter(_Echo(), fieldnames=columns, extrasaction="ignore")
    yield "\ufeff"  # so spreadsheet software reads UTF-8 accents correctly
    yield writer.writerow(dict(zip(columns, columns, strict=True)))
    for row in rows:
        yield writer.writerow(row)


def _json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
    yield "\n]\n"


def streamed_export(*, filename: str, export_format: str, columns: list[str], rows: Iterable[dict]):
    if export_format == "json":
        response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json; charset=utf-8")
        extension = "json"
    else:
        response = StreamingHttpResponse(_csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
