"""Survey benchmark: exporting 250,000 answers in flat memory, and answering under load.

1. Export. Seeds a 20-question survey with 250,000 anonymous answers (SQLite in
   bench/var/), then, each in a fresh process so that its peak RSS is its own, runs the
   CSV, JSON and XLSX exports and the sealed-file download through the real code paths,
   and the closing (reshuffle, tally, seal) of all 250,000. Reference beside them: the
   peak RSS of a process that only loads Django. Target: every peak under 200 MB.
2. Submissions. Concurrent respondents (threads, one connection each) answer the same
   20-question survey through ``services.do_answer`` (validation, participation row with
   its unique constraint, anonymous answer, receipt), on SQLite and on PostgreSQL when it
   answers. Reference beside it: the same threads inserting bare answer rows.

    python bench/surveys_bench.py [--answers 250000] [--respondents 16] [--submissions 800]
        [--postgres postgres://postgres@127.0.0.1:5432/civitas_surveys_bench]

Writes bench/results/surveys_bench.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import threading
import time
from pathlib import Path

from loadkit import postgres_bench_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE_EXPORT = VAR / "surveys_export.sqlite3"
SQLITE_SUBMIT = VAR / "surveys_submit.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_surveys_bench"


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --- phases (run in child processes) ---------------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _migrate(fresh: bool) -> None:
    from django.core.management import call_command
    from django.db import connection

    if fresh and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _make_survey(host: str):
    from civitas.components.surveys.models import MatrixRow, Option, Question
    from civitas.organizations.services import do_create_organization

    organization, admin = _organization(do_create_organization, host)
    space, phase = open_space(organization, admin, "Grande consultation")
    survey = add_survey(space, phase, admin, "Questionnaire")
    kinds = ["single", "multiple", "scale", "short_text", "matrix_single", "ranking", "long_text", "single",
             "multiple", "scale", "single", "matrix_multiple", "scale", "single", "multiple", "short_text",
             "ranking", "single", "scale", "long_text"]  # fmt: skip
    for position, kind in enumerate(kinds):
        question = Question.objects.create(
            survey=survey, type=kind, label=f"Question {position + 1}", position=position, max_choices=3
        )
        if kind in {"single", "multiple", "matrix_single", "matrix_multiple", "ranking"}:
            for index in range(5):
                Option.objects.create(question=question, label=f"Option {index + 1}", position=index)
        if kind == "multiple":
            Option.objects.create(question=question, label="Autre", position=5, free_text=True)
        if kind.startswith("matrix"):
            for index in range(4):
                MatrixRow.objects.create(question=question, label=f"Ligne {index + 1}", position=index)
    return organization, admin, survey


def open_space(organization, admin, title: str):
    """A published process space with one active phase: (space, phase)."""
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    space = do_create_space(organization=organization, user=admin, kind="process", title=title)
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Consultation", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    return space, phase


def add_survey(space, phase, admin, name: str):
    """A published survey component taking answers in ``phase``, through the admin's services."""
    from civitas.components.manifest import registry
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )
    from civitas.components.surveys.models import Survey

    component = do_add_component(space=space, user=admin, manifest=registry.get("surveys"), name=name)
    do_configure_component(
        component=component,
        user=admin,
        name=component.name,
        settings=component.manifest.settings.clean({}),
        phase_settings={str(phase.pk): {"answers_enabled": True}},
    )
    do_set_component_published(component=component, user=admin, published=True)
    return Survey.objects.get(component=component)


def _organization(create, host):
    result = create(name="Région Bench", host=host, admin_email="admin@bench.test")
    organization = result[0] if isinstance(result, tuple) else result
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(organization=organization, is_organization_admin=True).first()
    return organization, admin


def _random_form(questions, rng: random.Random) -> dict:
    """Form data a respondent would post: every question answered."""
    data: dict = {}
    for question in questions:
        key = question.key
        options = [option.key for option in question.options.all()]
        plain = [o.key for o in question.options.all() if not o.free_text]
        if question.type == "single":
            data[key] = [rng.choice(options)]
        elif question.type == "multiple":
            data[key] = rng.sample(plain, rng.randint(1, 3))
        elif question.type == "scale":
            data[key] = [str(rng.randint(question.scale_min, question.scale_max))]
        elif question.type == "short_text":
            data[key] = [rng.choice(["Centre", "Nord", "Sud", "Est", "Ouest"]) + f" {rng.randint(1, 99)}"]
        elif question.type == "long_text":
            data[key] = ["Une réponse libre, assez longue pour ressembler à une vraie. " * rng.randint(1, 3)]
        elif question.type == "matrix_single":
            for row in question.rows.all():
                data[f"{key}_{row.key}"] = [rng.choice(options)]
        elif question.type == "matrix_multiple":
            for row in question.rows.all():
                data[f"{key}_{row.key}"] = rng.sample(options, 2)
        elif question.type == "ranking":
            for rank, option in enumerate(rng.sample(options, 3), start=1):
                data[f"{key}_{option}"] = [str(rank)]
    return data


def _form(data: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def phase_seed_export(count: int) -> dict:
    _django()
    _migrate(fresh=True)
    from civitas.components.surveys.models import Answer
    from civitas.components.surveys.questionnaire import read_answers

    _organization_, _admin, survey = _make_survey("bench-export.test")
    questions = list(survey.ordered_questions())
    rng = random.Random(5)
    # A pool of validated payloads, reused: what is measured is the export, not the seeding.
    pool = [read_answers(questions, _form(_random_form(questions, rng))).payload for _ in range(500)]
    started = time.perf_counter()
    channels = ["online"] * 6 + ["paper"] * 3 + ["post"]
    batch = []
    for index in range(count):
        batch.append(Answer(survey=survey, channel=rng.choice(channels), payload=pool[index % len(pool)]))
        if len(batch) == 5000:
            Answer.objects.bulk_create(batch)
            batch = []
    if batch:
        Answer.objects.bulk_create(batch)
    return {"survey": survey.pk, "answers": count, "seed_seconds": round(time.perf_counter() - started, 1)}


def phase_measure(what: str, survey_id: int) -> dict:
    _django()
    from django.contrib.auth import get_user_model

    from civitas.ballotbox.services import iter_published
    from civitas.components.surveys import exports, services
    from civitas.components.surveys.models import Survey
    from civitas.components.surveys.questionnaire import definition_of
    from civitas.core.streaming import streamed_export

    survey = Survey.objects.select_related("component__space__organization").get(pk=survey_id)
    baseline = _peak_mb()
    started = time.perf_counter()
    size = 0
    if what == "baseline":
        pass
    elif what in {"csv", "json"}:
        definition = definition_of(survey)
        columns = [name for name, _header in exports.columns_of(definition)]
        response = streamed_export(
            filename="x", export_format=what, columns=columns, rows=exports.iter_rows(survey, definition)
        )
        for chunk in response.streaming_content:
            size += len(chunk)
    elif what == "xlsx":
        definition = definition_of(survey)
        response = exports.xlsx_response(
            filename="x", columns=exports.columns_of(definition), rows=exports.iter_rows(survey, definition)
        )
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
    elif what == "close":
        admin = get_user_model().objects.filter(is_organization_admin=True).first()
        services.do_close(survey=survey, user=admin)
    elif what == "sealed_file":
        for line in iter_published(survey):
            size += len(line.encode())
    return {
        "what": what,
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": size,
        "peak_rss_mb": round(_peak_mb(), 1),
        "rss_before_mb": round(baseline, 1),
    }


def phase_submit(respondents: int, submissions: int, fresh: bool) -> dict:
    _django()
    _migrate(fresh=fresh)
    from django.contrib.auth import get_user_model
    from django.db import connection

    from civitas.components.surveys import services
    from civitas.components.surveys.models import Answer, Survey

    organization, _admin, survey = _make_survey(f"bench-submit-{int(time.time())}.test")
    questions = list(survey.ordered_questions())
    rng = random.Random(7)
    forms = [_form(_random_form(questions, rng)) for _ in range(200)]
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                organization=organization,
                email=f"r{index}@bench.test",
                nickname=f"r{index}",
                name=f"R {index}",
                email_confirmed_at=survey.component.created_at,
                accepted_terms_at=survey.component.created_at,
            )
            for index in range(submissions)
        ]
    )
    from civitas.components.surveys.questionnaire import read_answers

    payloads = [read_answers(questions, form).payload for form in forms]

    def run(work) -> tuple[float, int, int]:
        cursor = iter(range(submissions))
        lock = threading.Lock()
        errors = []
        done = []

        def worker():
            fresh_survey = Survey.objects.select_related("component__space").get(pk=survey.pk)
            try:
                while True:
                    with lock:
                        index = next(cursor, None)
                    if index is None:
                        return
                    try:
                        work(fresh_survey, index)
                        done.append(1)
                    except Exception as error:  # counted: a refused or failed submission
                        errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(respondents)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started, len(done), len(errors)

    def answer(fresh_survey, index):
        services.do_answer(survey=fresh_survey, user=users[index], data=forms[index % len(forms)])

    def bare(fresh_survey, index):
        Answer.objects.create(survey=fresh_survey, payload=payloads[index % len(payloads)])

    reference_seconds, reference_done, reference_errors = run(bare)
    Answer.objects.filter(survey=survey).delete()
    seconds, done, errors = run(answer)
    stored = Answer.objects.filter(survey=survey).count()
    return {
        "vendor": connection.vendor,
        "respondents": respondents,
        "submissions": submissions,
        "answers_per_second": round(done / seconds, 1),
        "stored": stored,
        "failed": errors,
        "bare_inserts_per_second": round(reference_done / reference_seconds, 1),
        "bare_failed": reference_errors,
    }


# --- orchestration -----------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--answers", type=int, default=250_000)
    parser.add_argument("--respondents", type=int, default=16)
    parser.add_argument("--submissions", type=int, default=800)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--survey", type=int)
    parser.add_argument("--what")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()

    if args.phase == "seed_export":
        print(json.dumps(phase_seed_export(args.answers)))
        return
    if args.phase == "measure":
        print(json.dumps(phase_measure(args.what, args.survey)))
        return
    if args.phase == "submit":
        print(json.dumps(phase_submit(args.respondents, args.submissions, fresh=True)))
        return

    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict = {"answers": args.answers, "export": [], "submit": []}
    previous = RESULTS / "surveys_bench.json"
    if args.skip_export and previous.exists():
        # Keep the last export figures beside the new submission figures.
        earlier = json.loads(previous.read_text())
        report.update({key: earlier[key] for key in ("answers", "export", "seed") if key in earlier})
    if not args.skip_export:
        for path in VAR.glob("surveys_export.sqlite3*"):
            path.unlink()
        sqlite_export = f"sqlite:///{SQLITE_EXPORT}"
        seeded = run_phase(__file__, "seed_export", sqlite_export, VAR, "--answers", str(args.answers))
        report["seed"] = seeded
        for what in ("baseline", "csv", "json", "xlsx", "close", "sealed_file"):
            result = run_phase(
                __file__, "measure", sqlite_export, VAR, "--what", what, "--survey", str(seeded["survey"])
            )
            report["export"].append(result)
            print(f"  {what}: {result}", flush=True)
    for path in VAR.glob("surveys_submit.sqlite3*"):
        path.unlink()
    targets = [("sqlite", f"sqlite:///{SQLITE_SUBMIT}")]
    if postgres_bench_database(args.postgres):
        targets.append(("postgresql", args.postgres))
    else:
        report["postgresql_skipped"] = f"{args.postgres} does not answer"
    for name, url in targets:
        counts = ["--respondents", str(args.respondents), "--submissions", str(args.submissions)]
        result = run_phase(__file__, "submit", url, VAR, *counts)
        report["submit"].append(result)
        print(f"  submit {name}: {result}", flush=True)
    (RESULTS / "surveys_bench.json").write_text(json.dumps(report, indent=2))
    _print_table(report)


def _print_table(report: dict) -> None:
    if report["export"]:
        baseline = report["export"][0]["peak_rss_mb"]
        print(f"\nExport of {report['answers']:,} answers × 20 questions (SQLite), one process each")
        print(f"{'what':<12} {'seconds':>8} {'MB out':>8} {'peak RSS MB':>12} {'× Django alone':>15}")
        for row in report["export"]:
            print(
                f"{row['what']:<12} {row['seconds']:>8} {row['bytes'] / 1e6:>8.1f} {row['peak_rss_mb']:>12} "
                f"{row['peak_rss_mb'] / baseline:>15.2f}"
            )
        worst = max(row["peak_rss_mb"] for row in report["export"])
        print(f"worst peak: {worst} MB — {'under' if worst < 200 else 'OVER'} the 200 MB target")
    print("\nAnswer submission, concurrent respondents")
    print(
        f"{'database':<11} {'threads':>7} {'answers/s':>10} {'bare inserts/s':>15} "
        f"{'ratio':>6} {'stored':>7} {'failed':>7}"
    )
    for row in report["submit"]:
        ratio = row["answers_per_second"] / row["bare_inserts_per_second"]
        print(
            f"{row['vendor']:<11} {row['respondents']:>7} {row['answers_per_second']:>10} "
            f"{row['bare_inserts_per_second']:>15} {ratio:>6.2f} {row['stored']:>7} {row['failed']:>7}"
        )
    if report.get("postgresql_skipped"):
        print(f"PostgreSQL skipped: {report['postgresql_skipped']}")


if __name__ == "__main__":
    main()
