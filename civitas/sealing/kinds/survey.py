"""Tally of a questionnaire: counts per option, matrix cell, rank and scale value.

Definition (what the published header carries)::

    {"questions": [{"id": "q12", "type": "single", "options": [{"id": "o3"}, …],
                    "rows": [{"id": "r1"}, …], "min": 1, "max": 5}, …]}

Payload of one answer, keyed by question id; unanswered questions are absent::

    short_text, long_text   "text"
    single                  {"choice": "o3"} (+ "other": "text" for an "other" option)
    multiple                {"choices": ["o1", "o4"]} (+ "other": "text")
    matrix_single           {"r1": "o2", "r2": "o1"}
    matrix_multiple         {"r1": ["o1", "o2"], "r2": []}
    ranking                 ["o3", "o1", "o2"]   (best first; may stop early)
    scale                   4

The tally keeps only integers: a scale's mean is ``sum / answered``. It never reads
what a free text says, only whether there is one: :func:`text_paths` names the free
texts, which a published file may carry as redaction markers.
"""

from __future__ import annotations

from collections.abc import Iterable

from civitas.sealing.tallies import tally

TEXT_TYPES = {"short_text", "long_text"}
NOT_ANSWERABLE = {"section"}


def text_paths(definition: dict) -> list[list[str]]:
    """Where free texts sit in a payload: text answers and the "other" text of choices."""
    paths: list[list[str]] = []
    for question in definition.get("questions", []):
        if question.get("type") in TEXT_TYPES:
            paths.append([question["id"]])
        elif question.get("type") in {"single", "multiple"}:
            paths.append([question["id"], "other"])
    return paths


def _empty_question_tally(question: dict) -> dict:
    kind = question.get("type")
    options = [option["id"] for option in question.get("options", [])]
    rows = [row["id"] for row in question.get("rows", [])]
    result: dict = {"answered": 0, "by_channel": {}}
    if kind in {"single", "multiple"}:
        result["options"] = dict.fromkeys(options, 0)
        result["options_by_channel"] = {}
        result["other_texts"] = 0
    elif kind in {"matrix_single", "matrix_multiple"}:
        result["rows"] = {row: dict.fromkeys(options, 0) for row in rows}
    elif kind == "ranking":
        result["positions"] = {option: [0] * len(options) for option in options}
        result["points"] = dict.fromkeys(options, 0)
    elif kind == "scale":
        low, high = int(question.get("min", 1)), int(question.get("max", 5))
        result["values"] = {str(value): 0 for value in range(low, high + 1)}
        result["sum"] = 0
    return result


def _bump(counter: dict, key, amount: int = 1) -> None:
    key = str(key)
    counter[key] = counter.get(key, 0) + amount


@tally("survey")
def tally_survey(definition: dict, records: Iterable[dict]) -> dict:
    questions = [q for q in definition.get("questions", []) if q.get("type") not in NOT_ANSWERABLE]
    per_question = {question["id"]: _empty_question_tally(question) for question in questions}
    total = 0
    by_channel: dict[str, int] = {}
    for record in records:
        total += 1
        channel = record["channel"]
        _bump(by_channel, channel)
        payload = record["payload"]
        for question in questions:
            qid = question["id"]
            if qid not in payload:
                continue
            value = payload[qid]
            result = per_question[qid]
            result["answered"] += 1
            _bump(result["by_channel"], channel)
            kind = question["type"]
            if kind in {"single", "multiple"}:
                value = value if isinstance(value, dict) else {}
                chosen = [value.get("choice")] if kind == "single" else list(value.get("choices") or [])
                for option in chosen:
                    _bump(result["options"], option)
                    _bump(result["options_by_channel"].setdefault(channel, {}), option)
                if value.get("other"):
                    result["other_texts"] += 1
            elif kind in {"matrix_single", "matrix_multiple"}:
                for row, cells in (value if isinstance(value, dict) else {}).items():
                    row_counts = result["rows"].setdefault(str(row), {})
                    for option in [cells] if kind == "matrix_single" else list(cells or []):
                        _bump(row_counts, option)
            elif kind == "ranking":
                size = len(result["points"])
                for rank, option in enumerate(value if isinstance(value, list) else []):
                    positions = result["positions"].setdefault(str(option), [0] * size)
                    if rank < len(positions):
                        positions[rank] += 1
                    # Borda: the first of n options earns n points, the last earns 1.
                    _bump(result["points"], option, max(size - rank, 0))
            elif kind == "scale":
                _bump(result["values"], value)
                result["sum"] += value if isinstance(value, int) and not isinstance(value, bool) else 0
    return {"answers": total, "by_channel": by_channel, "questions": per_question}
