"""Encrypted casting: what it costs to cast, and what closing 250,000 encrypted answers takes.

    python bench/ballot_encryption.py [--answers 250000] [--casts 300] [--rounds 5] [--postgres [URL]]

SQLite by default (in ``bench/var/``); ``--postgres`` runs the same on PostgreSQL instead
(default ``postgres://postgres@127.0.0.1:5432/civitas_ballot_bench``, dropped and created).
Every phase runs in its own process, on the 20-question survey of ``surveys_bench.py``:

cast
    answers through the real service, ``surveys.services.do_answer`` (checks, validation,
    receipt, the record sealed with the vote's public key, participation and envelope in one
    transaction), beside the same answers stored the way the code did before encryption:
    the same checks and validation, then the participation and the plaintext ``Answer`` row
    in the same transaction shape. ``--rounds`` interleaved rounds of ``--casts`` answers each
    way (the order swapped every round), each answer by a fresh account. Reports answers
    per second each way and their ratio (target: encrypted within 10 %). Then the same
    through the answer page as a voter posts it (middleware, session, rate limit, receipt
    page), with the clear way swapped into the view.
close
    ``--answers`` envelopes (real ciphertexts from ``crypto.seal_record``, bulk-inserted),
    closed through ``surveys.services.do_close``: decrypt, check, write in random order,
    tally, seal. Wall time and peak RSS of the closing process, beside a process that only
    loads Django and the survey (target: < 200 MB). (Records stored in clear can no longer be
    closed: they could only come from outside the ballot box.)

Prints a table and writes ``bench/results/ballot_encryption.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

from loadkit import fresh_postgres_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE = VAR / "ballot_encryption.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_ballot_bench"
HOST = "bench-ballot.test"
CAST_HOST = "bench-ballot-cast.test"
CLEAR_HOST = "bench-ballot-clear.test"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _cpu_seconds() -> float:
    """This process's CPU time: on a busy machine, steadier than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _setup():
    from surveys_bench import _django

    _django()


def _survey():
    from civitas.components.surveys.models import Survey

    return Survey.objects.select_related("component__space__organization").get(
        component__space__organization__host=HOST
    )


# --- phases (run in child processes) ---------------------------------------------------


def phase_cast(casts: int, rounds: int) -> dict:
    _setup()
    from surveys_bench import _form, _make_survey, _migrate, _random_form

    _migrate(fresh=True)
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from civitas.ballotbox import services as ballotbox
    from civitas.components.surveys import services
    from civitas.components.surveys.models import Answer, SurveyParticipation
    from civitas.components.surveys.questionnaire import questions_for_answering, read_answers
    from civitas.sealing.receipts import new_receipt_code, receipt_hash

    organization, _admin, survey = _make_survey(CAST_HOST)
    User = get_user_model()
    User.objects.bulk_create(
        [
            User(
                organization=organization,
                email=f"r{index}@bench.test",
                nickname=f"r{index}",
                name=f"R {index}",
                email_confirmed_at=survey.component.created_at,
                accepted_terms_at=survey.component.created_at,
            )
            for index in range(4 * casts * rounds + 4)  # each answer by a fresh account
        ],
        batch_size=2000,
    )
    users = iter(User.objects.filter(organization=organization, is_organization_admin=False).order_by("pk"))
    rng = random.Random(15)
    questions = list(survey.ordered_questions())
    forms = [_form(_random_form(questions, rng)) for _ in range(200)]

    def in_clear(*, survey, user, data) -> str:
        """do_answer as it was before encryption: the same steps, the record stored in clear."""
        reason = services.check_can_answer(survey, user)
        if reason:
            raise services.SurveyError(reason)
        result = read_answers(questions_for_answering(survey), data)
        if not result.ok:
            raise services.SurveyError("invalid", result.errors)
        code = new_receipt_code()
        with transaction.atomic():
            ballotbox._lock_target_shared(survey)
            if ballotbox._is_frozen(survey):
                raise ballotbox.Frozen
            SurveyParticipation(survey=survey, user=user).save(force_insert=True)
            Answer.objects.create(
                survey=survey, channel="online", payload=result.payload, receipt_hash=receipt_hash(code)
            )
        return code

    def encrypted(*, survey, user, data):
        return services.do_answer(survey=survey, user=user, data=data)

    timings = {"encrypted": [], "clear": []}
    cpu = {"encrypted": 0.0, "clear": 0.0}  # this process's CPU: steadier than the wall on a busy machine
    way = {"encrypted": encrypted, "clear": in_clear}
    # One answer each way first: the questionnaire cache, the vote's key pair, the connection.
    for name in way:
        way[name](survey=survey, user=next(users), data=forms[0])
    for round_index in range(rounds):
        order = ["encrypted", "clear"] if round_index % 2 == 0 else ["clear", "encrypted"]
        for name in order:
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            for index in range(casts):
                way[name](survey=survey, user=next(users), data=forms[index % len(forms)])
            timings[name].append(time.perf_counter() - started)
            cpu[name] += _cpu_seconds() - cpu_started
    requests = _cast_by_request(survey, users, forms, casts, rounds, in_clear)
    from civitas.ballotbox.models import Envelope

    sizes = sorted({len(bytes(c)) for c in Envelope.objects.values_list("ciphertext", flat=True)})
    from django.db import connection

    encrypted_rate = casts * rounds / sum(timings["encrypted"])
    clear_rate = casts * rounds / sum(timings["clear"])
    return {
        "vendor": connection.vendor,
        "casts_each_way": casts * rounds,
        "rounds": rounds,
        "encrypted_per_second": round(encrypted_rate, 1),
        "clear_per_second": round(clear_rate, 1),
        "encrypted_over_clear": round(encrypted_rate / clear_rate, 3),
        "cpu_ms_per_answer": {name: round(1000 * value / (casts * rounds), 2) for name, value in cpu.items()},
        "cpu_encrypted_over_clear": round(cpu["clear"] / cpu["encrypted"], 3),
        "round_seconds": {name: [round(t, 2) for t in values] for name, values in timings.items()},
        "ciphertext_sizes": sizes,
        "requests": requests,
    }


def _cast_by_request(survey, users, forms, casts: int, rounds: int, in_clear) -> dict:
    """The same comparison as a voter meets it: the POST of the answer page, through every
    middleware, the session, the rate limit and the receipt page, in-process (Django's test
    client: no network). For the clear rounds the view's ``do_answer`` is the clear one."""
    import hashlib

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from civitas.ballotbox.errors import Receipt
    from civitas.components.surveys import services

    call_command("collectstatic", "--noinput", "-v0")  # the pages name their hashed files
    encrypted_answer = services.do_answer

    def clear_answer(*, survey, user, data):
        code = in_clear(survey=survey, user=user, data=data)
        return Receipt(code=code, fingerprint=hashlib.sha256(code.encode()).hexdigest())

    component = survey.component
    url = reverse("surveys:survey", kwargs={"space_slug": component.space.slug, "component_id": component.pk})
    host = component.space.organization.host
    way = {"encrypted": encrypted_answer, "clear": clear_answer}
    seconds = {"encrypted": 0.0, "clear": 0.0}
    cpu = {"encrypted": 0.0, "clear": 0.0}
    sent = 0

    def post(name: str, index: int) -> None:
        nonlocal sent
        sent += 1
        client = Client(
            HTTP_HOST=host, REMOTE_ADDR=f"10.{sent // 65536 % 256}.{sent // 256 % 256}.{sent % 256}"
        )
        client.force_login(next(users))  # not timed: logging in is not casting
        services.do_answer = way[name]
        try:
            started, cpu_started = time.perf_counter(), _cpu_seconds()
            response = client.post(url, forms[index % len(forms)])
            seconds[name] += time.perf_counter() - started
            cpu[name] += _cpu_seconds() - cpu_started
        finally:
            services.do_answer = encrypted_answer
        if response.status_code != 200 or b"receipt" not in response.content.lower():
            raise SystemExit(f"the {name} answer was not taken: HTTP {response.status_code}")

    for name in way:  # warm up: templates, the URL resolver, the session engine
        post(name, 0)
    for round_index in range(rounds):
        order = ["encrypted", "clear"] if round_index % 2 == 0 else ["clear", "encrypted"]
        for name in order:
            for index in range(casts):
                post(name, index)
    total = casts * rounds
    return {
        "encrypted_per_second": round(total / seconds["encrypted"], 1),
        "clear_per_second": round(total / seconds["clear"], 1),
        "encrypted_over_clear": round(seconds["clear"] / seconds["encrypted"], 3),
        "cpu_ms_per_answer": {name: round(1000 * value / total, 2) for name, value in cpu.items()},
        "cpu_encrypted_over_clear": round(cpu["clear"] / cpu["encrypted"], 3),
    }


def phase_fill(answers: int) -> dict:
    """Two surveys with the same answers: one as envelopes, one as plaintext rows."""
    _setup()
    from surveys_bench import _form, _make_survey, _migrate, _random_form

    _migrate(fresh=True)
    import sealed_fill

    from civitas.ballotbox import keys
    from civitas.components.surveys.models import Answer
    from civitas.components.surveys.questionnaire import read_answers
    from civitas.sealing.receipts import new_receipt_code, receipt_hash

    _organization, _admin, survey = _make_survey(HOST)
    _organization, _admin, clear = _make_survey(CLEAR_HOST)

    def payloads(target) -> list[dict]:
        # The same seed for both: the same choices and texts, with each survey's own ids.
        questions, rng = list(target.ordered_questions()), random.Random(5)
        return [read_answers(questions, _form(_random_form(questions, rng))).payload for _ in range(500)]

    pool, clear_pool = payloads(survey), payloads(clear)
    recipient = keys.ensure_public_key(survey)
    # Padded as casting pads them: every envelope has the vote's one size.
    size = sealed_fill.padded_size(survey)
    started = time.perf_counter()
    sealed, rows = [], []
    for index in range(answers):
        # Postal forms: they need no account beside them (closing checks that online records
        # and participations match, and 250,000 accounts would only slow the set-up); opening
        # them costs exactly what opening online answers does.
        payload = pool[index % len(pool)]
        sealed.append(
            sealed_fill.seal_record(recipient, survey.ballot_ref, size, channel="post", payload=payload)
        )
        rows.append(
            Answer(
                survey=clear,
                channel="online",
                receipt_hash=receipt_hash(new_receipt_code()),
                payload=clear_pool[index % len(clear_pool)],
            )
        )
        if len(sealed) == 2000:
            sealed_fill.store_batch(survey, sealed)
            Answer.objects.bulk_create(rows)
            sealed, rows = [], []
    sealed_fill.store_batch(survey, sealed)
    Answer.objects.bulk_create(rows)
    return {"answers": answers, "fill_seconds": round(time.perf_counter() - started, 1)}


def phase_baseline() -> dict:
    _setup()
    survey = _survey()
    survey.ordered_questions()
    return {"peak_mb": round(_peak_mb(), 1)}


def phase_close(which: str) -> dict:
    _setup()
    from civitas.components.surveys import services
    from civitas.components.surveys.models import Survey

    host = HOST if which == "encrypted" else CLEAR_HOST
    survey = Survey.objects.select_related("component__space__organization").get(
        component__space__organization__host=host
    )
    from django.contrib.auth import get_user_model

    admin = (
        get_user_model()
        .objects.filter(organization=survey.component.space.organization, is_organization_admin=True)
        .first()
    )
    before = _peak_mb()
    started, cpu = time.perf_counter(), _cpu_seconds()
    services.do_close(survey=survey, user=admin)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    survey.refresh_from_db()
    return {
        "which": which,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_mb": round(_peak_mb(), 1),
        "peak_before_closing_mb": round(before, 1),
        "answers_counted": survey.tally["answers"],
        "seal": survey.seal,
    }


# --- the driver ------------------------------------------------------------------------


def _print_casting(cast: dict) -> None:
    cpu = cast["cpu_ms_per_answer"]
    each = cast["casts_each_way"]
    print(f"\nEncrypted casting on {cast['vendor']} (20-question survey, {each} answers each way)")
    print(f"{'casting':<34} {'answers/s':>10} {'CPU ms/answer':>14}")
    print(f"{'encrypted (do_answer)':<34} {cast['encrypted_per_second']:>10} {cpu['encrypted']:>14}")
    print(f"{'in clear (as before)':<34} {cast['clear_per_second']:>10} {cpu['clear']:>14}")
    ratios = f"{cast['encrypted_over_clear']:>10} {cast['cpu_encrypted_over_clear']:>14}"
    print(f"{'ratio encrypted / clear':<34} {ratios}   (target ≥ 0.90)")
    requests = cast["requests"]
    cpu = requests["cpu_ms_per_answer"]
    print(f"{'the answer page, posted':<34} {'answers/s':>10} {'CPU ms/answer':>14}")
    print(f"{'encrypted':<34} {requests['encrypted_per_second']:>10} {cpu['encrypted']:>14}")
    print(f"{'in clear (as before)':<34} {requests['clear_per_second']:>10} {cpu['clear']:>14}")
    ratios = f"{requests['encrypted_over_clear']:>10} {requests['cpu_encrypted_over_clear']:>14}"
    print(f"{'ratio encrypted / clear':<34} {ratios}   (target ≥ 0.90)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--which", default="encrypted")
    parser.add_argument("--answers", type=int, default=250_000)
    parser.add_argument("--casts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", nargs="?", const=DEFAULT_PG, default=None)
    parser.add_argument("--casts-only", action="store_true", help="measure casting, not closing")
    args = parser.parse_args()
    if args.phase:
        phases = {
            "cast": lambda: phase_cast(args.casts, args.rounds),
            "fill": lambda: phase_fill(args.answers),
            "baseline": phase_baseline,
            "close": lambda: phase_close(args.which),
        }
        print(json.dumps(phases[args.phase]()))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.postgres:
        url = args.postgres
        fresh_postgres_database(url)
    else:
        for path in VAR.glob("ballot_encryption.sqlite3*"):
            path.unlink()
        url = f"sqlite:///{SQLITE}"
    sizes = ("--answers", str(args.answers), "--casts", str(args.casts), "--rounds", str(args.rounds))
    report: dict = {}
    print("casting …", flush=True)
    report["cast"] = run_phase(__file__, "cast", url, VAR, *sizes)
    print(f"  {report['cast']}", flush=True)
    if args.casts_only:
        (RESULTS / "ballot_encryption.json").write_text(json.dumps(report, indent=2))
        _print_casting(report["cast"])
        return
    print(f"storing {args.answers} encrypted answers and the same in clear …", flush=True)
    report["fill"] = run_phase(__file__, "fill", url, VAR, *sizes)
    print(f"  {report['fill']}", flush=True)
    report["baseline"] = run_phase(__file__, "baseline", url, VAR, *sizes)
    # Closing records stored in clear is refused now (they can only come from outside the
    # ballot box), so only the encrypted closing is measured.
    report["close"] = {"encrypted": run_phase(__file__, "close", url, VAR, *sizes, "--which", "encrypted")}
    for which, result in report["close"].items():
        print(f"  closing {which}: {result}", flush=True)
    (RESULTS / "ballot_encryption.json").write_text(json.dumps(report, indent=2))

    close, base = report["close"], report["baseline"]["peak_mb"]
    _print_casting(report["cast"])
    title = f"closing {args.answers:,} answers"
    print(f"\n{title:<34} {'seconds':>10} {'CPU s':>8} {'peak MB':>9} {'over Django':>12}")
    for which, label in (("encrypted", "encrypted (decrypt, shuffle, seal)"),):
        row = close[which]
        over = round(row["peak_mb"] - base, 1)
        print(f"{label:<34} {row['seconds']:>10} {row['cpu_seconds']:>8} {row['peak_mb']:>9} {over:>12}")
    print(f"{'Django and the survey alone':<34} {'':>10} {'':>8} {base:>9}")
    counted = close["encrypted"]["answers_counted"]
    print(f"target: peak of the encrypted closing < 200 MB; both count {counted} answers")


if __name__ == "__main__":
    main()
