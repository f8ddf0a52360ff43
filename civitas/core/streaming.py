"""Stream large exports row by row, so memory stays flat whatever the number of rows."""

import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

from civitas.core.spreadsheets import csv_lines


def _json_chunks(rows: Iterable[dict]) -> Iterator[str]:
    yield "["
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
    yield "\n]\n"


def streamed_export(*, filename: str, export_format: str, columns: list[str], rows: Iterable[dict]):
    """CSV (formulas neutralised by the shared spreadsheet writer) or JSON (values as they are)."""
    if export_format == "json":
        response = StreamingHttpResponse(_json_chunks(rows), content_type="application/json; charset=utf-8")
        extension = "json"
    else:
        response = StreamingHttpResponse(csv_lines(columns, rows), content_type="text/csv; charset=utf-8")
        extension = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
