"""The national data set's four consultations: 1.9 million encrypted answers, as while open.

One survey component per Grand Débat questionnaire (``text.CONSULTATIONS``), each with its
open questions as long-text questions, in a published space "Grand débat national".
95 % of the data set's accounts answer each of them (475,000 at scale 1.0, 1.9 million
answers in all), every answer holding a text for each open question (``text.answers``).

Stored exactly as ``surveys.services.do_answer`` stores an answer while the consultation is
open: a record (channel, receipt hash, payload) sealed with the vote's public key and
padded to the consultation's one size, its envelope (ciphertext, fingerprint) and the
participation row of the account, nothing in clear (see ``bench/sealed_fill.py``).

Sealing is CPU work: batches are sealed in a pool of worker processes while this process
writes the previous ones with COPY; at most a few batches are in flight, so memory stays
the same whatever the volume.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from dataclasses import dataclass

from national import text

ANSWERS_AT_FULL_SCALE = 475_000  # per consultation: 1.9 million in all
SHARE_ANSWERING = 95  # percent of the accounts that answer each consultation
MAX_LENGTH = 1500  # characters per open answer (the generator's longest is about 1,100)
BATCH = 2000
SPACE_TITLE = "Grand débat national"


@dataclass(frozen=True)
class _Job:
    recipient: bytes
    target_ref: str
    size: int
    question_keys: tuple[tuple[str, str], ...]  # (payload key, text.OpenQuestion key)
    seed: int
    batch: int
    count: int


def _question(key: str) -> text.OpenQuestion:
    return next(question for _consultation, question in text.open_questions() if question.key == key)


def _seal_job(job: _Job) -> list:
    """One batch of answers, written and sealed (runs in a worker process)."""
    import sealed_fill

    columns = [
        (payload_key, text.answers(_question(question_key), job.count, seed=job.seed * 100_000 + job.batch))
        for payload_key, question_key in job.question_keys
    ]
    payloads = []
    for _ in range(job.count):
        payloads.append({key: next(answers)[:MAX_LENGTH] for key, answers in columns})
    return sealed_fill.seal_batch(job.recipient, job.target_ref, job.size, "online", payloads)


def create(organization, admin):
    """The space and its four consultations, open: [(text.Consultation, Survey)]."""
    from surveys_bench import add_survey, open_space

    from civitas.components.surveys.models import Question

    space, phase = open_space(organization, admin, SPACE_TITLE)
    made = []
    for consultation in text.CONSULTATIONS:
        survey = add_survey(space, phase, admin, consultation.title)
        for position, question in enumerate(consultation.questions):
            Question.objects.create(
                survey=survey, type="long_text", label=question.text, position=position, max_length=MAX_LENGTH
            )
        made.append((consultation, survey))
    return made


def respondents(accounts: range, consultation_index: int, limit: int):
    """The account ids answering one consultation, ascending: those whose id falls in the
    answering 95 % for this consultation (a different 5 % abstain each time), at most ``limit``."""
    given = 0
    for pk in accounts:
        if given == limit:
            return
        if (pk * 7919 + consultation_index * 104_729) % 100 < SHARE_ANSWERING:
            given += 1
            yield pk


def fill(survey, consultation: text.Consultation, respondents, *, seed: int, workers: int) -> int:
    """Seal and store one answer per respondent; returns how many."""
    import sealed_fill

    from civitas.ballotbox import keys

    recipient = keys.ensure_public_key(survey)  # as the first answer does
    questions = list(survey.ordered_questions())
    job_base = {
        "recipient": recipient,
        "target_ref": survey.ballot_ref,
        "size": sealed_fill.padded_size(survey),
        "question_keys": tuple(
            (question.key, open_question.key)
            for question, open_question in zip(questions, consultation.questions, strict=True)
        ),
        "seed": seed,
    }
    stored = 0
    context = multiprocessing.get_context("spawn")  # no inherited database connection
    with context.Pool(workers) as pool:
        in_flight: deque = deque()

        def write_oldest() -> None:
            nonlocal stored
            users, result = in_flight.popleft()
            sealed_fill.store_batch(survey, result.get(), users)
            stored += len(users)

        batch_index = 0
        users: list[int] = []
        for user_id in respondents:
            users.append(user_id)
            if len(users) == BATCH:
                job = _Job(**job_base, batch=batch_index, count=len(users))
                in_flight.append((users, pool.apply_async(_seal_job, (job,))))
                batch_index, users = batch_index + 1, []
                if len(in_flight) > 2 * workers:  # bounded: memory does not grow with volume
                    write_oldest()
        if users:
            in_flight.append(
                (users, pool.apply_async(_seal_job, (_Job(**job_base, batch=batch_index, count=len(users)),)))
            )
        while in_flight:
            write_oldest()
    return stored


def consultations(context, filled: int | None = None) -> None:
    """generate.py's step: the four consultations and their answers (``context.accounts``
    answer, 475,000 each at scale 1.0); ``filled``: answers in the first ones only."""
    workers = int(os.environ.get("NATIONAL_WORKERS", "0")) or os.cpu_count() or 1
    per_consultation = context.scaled(ANSWERS_AT_FULL_SCALE)
    for index, (consultation, survey) in enumerate(create(context.organization, context.admin)):
        if filled is not None and index >= filled:
            continue
        count = fill(
            survey,
            consultation,
            respondents(context.accounts, index, per_consultation),
            seed=context.seed + index,
            workers=workers,
        )
        context.count("survey answers (encrypted)", count)
        context.count("survey participations", count)
