"""Exports of the anonymous answers: CSV, JSON and XLSX, in flat memory."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import FileResponse

from civitas.components.surveys.models import CHOICE_TYPES, MATRIX_TYPES, QuestionType
from civitas.core.spreadsheets import xlsx_file
from civitas.core.streaming import short_reads

CHUNK = 2000


def columns_of(definition: dict) -> list[tuple[str, str]]:
    """(column name, header) pairs: one per question, one per matrix row, one per "other"."""
    columns = [("id", "id"), ("day", "day"), ("channel", "channel")]
    for question in definition["questions"]:
        kind = question["type"]
        if kind == QuestionType.SECTION:
            continue
        if kind in MATRIX_TYPES:
            for row in question["rows"]:
                columns.append((f"{question['id']}_{row['id']}", f"{question['label']} — {row['label']}"))
            continue
        columns.append((question["id"], question["label"]))
        if kind in CHOICE_TYPES and any(option.get("free_text") for option in question["options"]):
            columns.append((f"{question['id']}_other", f"{question['label']} — other"))
    return columns


def _flatten(definition: dict, labels: dict, answer_id, day, channel, payload: dict) -> dict:
    row = {"id": str(answer_id), "day": day.isoformat(), "channel": channel}
    for question in definition["questions"]:
        key, kind = question["id"], question["type"]
        value = payload.get(key)
        if value is None:
            continue
        if kind == QuestionType.SINGLE:
            row[key] = labels.get(value.get("choice"), "")
            row[f"{key}_other"] = value.get("other", "")
        elif kind == QuestionType.MULTIPLE:
            row[key] = " | ".join(labels.get(choice, "") for choice in value.get("choices", []))
            row[f"{key}_other"] = value.get("other", "")
        elif kind in MATRIX_TYPES:
            for row_key, cells in value.items():
                cells = [cells] if isinstance(cells, str) else cells
                row[f"{key}_{row_key}"] = " | ".join(labels.get(cell, "") for cell in cells)
        elif kind == QuestionType.RANKING:
            row[key] = " > ".join(labels.get(option, "") for option in value)
        else:
            row[key] = value
    return row


def iter_rows(survey, definition: dict) -> Iterator[dict]:
    labels = {
        option["id"]: option["label"] for q in definition["questions"] for option in q.get("options", [])
    }
    # Short reads: a download left hanging must not hold a read snapshot (core.streaming).
    rows = short_reads(survey.answers.all(), "id", "day", "channel", "payload", key="id", chunk=CHUNK)
    for answer_id, day, channel, payload in rows:
        yield _flatten(definition, labels, answer_id, day, channel, payload)


def xlsx_response(*, filename: str, columns: list[tuple[str, str]], rows) -> FileResponse:
    """Written in flat memory by the shared spreadsheet writer, then streamed."""
    names = [name for name, _header in columns]
    spool = xlsx_file(
        sheet_name="answers",
        headers=[header for _name, header in columns],
        rows=([row.get(name, "") for name in names] for row in rows),
    )
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
