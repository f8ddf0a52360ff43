"""A consultation's published answers file, written from the planted-theme generator.

``write_answers_file(path, consultation, count, seed)`` writes the file a closed survey
with the consultation's open questions (``q1``, ``q2``…) publishes (format of
:mod:`civitas.sealing.published`), ``count`` answers each answering every question, and
returns the planted theme of every answer, per question, in the file's order (None for an
empty answer). The theme analysis is checked against those.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator

from bench.national.text import Consultation, answer_with_theme
from civitas.sealing.published import write_published
from civitas.sealing.tallies import compute_tally


def definition_of(consultation: Consultation) -> dict:
    return {
        "title": consultation.title,
        "questions": [
            {
                "id": f"q{number}",
                "type": "long_text",
                "label": question.text,
                "mandatory": False,
                "options": [],
                "rows": [],
                "condition": None,
                "max_length": 5000,
            }
            for number, question in enumerate(consultation.questions, start=1)
        ],
    }


def _ids(count: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:ids")
    return sorted(str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count))


def _records(consultation: Consultation, ids: list[str], seed: int, planted: dict | None) -> Iterator[dict]:
    generators = [random.Random(f"{seed}:{question.key}") for question in consultation.questions]
    for record_id in ids:
        payload = {}
        for number, (question, rng) in enumerate(zip(consultation.questions, generators, strict=True), 1):
            text, theme = answer_with_theme(rng, question)
            payload[f"q{number}"] = text
            if planted is not None:
                planted[f"q{number}"].append(theme)
        yield {"id": record_id, "day": "2019-03-15", "channel": "online", "receipt": None, "payload": payload}


def write_answers_file(path, consultation: Consultation, count: int, seed: int = 2019) -> dict[str, list]:
    definition = definition_of(consultation)
    ids = _ids(count, seed)
    tally = compute_tally("survey", definition, _records(consultation, ids, seed, None))
    planted: dict[str, list] = {f"q{n}": [] for n in range(1, len(consultation.questions) + 1)}
    with open(path, "w", encoding="utf-8") as stream:
        write_published(
            stream,
            kind="survey",
            definition=definition,
            about={"title": consultation.title, "space": "Grand débat", "organization": "République"},
            records=_records(consultation, ids, seed, planted),
            tally=tally,
            text_paths=[[question["id"]] for question in definition["questions"]],
        )
    return planted
