"""Bulk work at national volume: time and peak memory at 10 %, 50 % and 100 % of it.

    python bench/national_bulk.py [--scales 0.1 0.5 1.0] [--postgres URL] [--workers N]

For each scale, generates the national data set at that scale into its own PostgreSQL
database (default ``civitas_national_bulk_bench``, dropped and created each time), then
runs each operation in a fresh process, which reports the operation's wall time and the
process's peak RSS:

reference      a process that only loads Django and the consultation
close          closing the largest consultation (475,000 encrypted answers at 100 %):
               ``surveys.services.do_close`` decrypts, checks, writes in random order,
               tallies and seals; ``sealed_seconds`` is the commit (the vote closed and
               its results final), ``seconds`` adds the storage scrub run after it
close-all      the national consultation: every questionnaire still open (four, 1.9
               million answers at 100 %) closed at once, each in its own process, as two
               task consumers with two workers each close them when an admin asks for all
               four; the wall time until the last is sealed, each closing's own figures,
               then the rewrite that drops the erased salts the closings had to leave to
               the queue (another closing held the votes' table)
csv json xlsx  the consultation's exports, through the code the admin's download runs
published      its published sealed file (``ballotbox.services.iter_published``), to disk
recount        ``python -m civitas.recount FILE --seal SEAL`` on that file
opendata       the organization's open-data archive (``opendata.export.build_archive``)
spam           the spam scan of every account (``spam.services.scan_organization``)
search         a full search reindex of the organization (``search.indexing.rebuild``)

Target: every operation under 10 minutes, and its peak memory flat as the volume grows.
Prints a table (operation × scale: seconds, peak MB) with the machine's load and writes
``bench/results/national_bulk.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from loadkit import django_environment, fresh_postgres_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "national_bulk"
RESULTS = ROOT / "bench" / "results"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_national_bulk_bench"
OPERATIONS = (
    "reference",
    "close",
    "close-all",
    "csv",
    "json",
    "xlsx",
    "published",
    "recount",
    "opendata",
    "spam",
    "search",
)
TARGET_SECONDS = 600


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


def _cpu_seconds() -> float:
    """This process's CPU time: on a loaded machine, steadier than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- the data set ------------------------------------------------------------------------


def phase_generate(scale: float, workers: int, consultations_only: bool) -> dict:
    """The national data set at ``scale``, by generate.py's steps (consultations included);
    ``consultations_only``: the organization, its accounts and the consultations alone."""
    _django()
    from django.core.management import call_command
    from django.utils import timezone
    from national import bulk, consultations, generate, people

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    os.environ["NATIONAL_WORKERS"] = str(workers)
    started = time.perf_counter()
    log: list[str] = []

    def say(line: str) -> None:
        log.append(line)
        print(line, file=sys.stderr, flush=True)

    context = generate.Context(seed=2019, scale=scale, now=timezone.now().replace(microsecond=0))

    def first_consultation(context) -> None:
        """The four consultations, the first one only with its answers."""
        consultations.consultations(context, filled=1)

    only = (
        [people.organization, people.accounts, first_consultation, bulk.statistics]
        if consultations_only
        else None
    )
    generate.run(context, only, report=say)
    return {
        "scale": scale,
        "seconds": round(time.perf_counter() - started, 1),
        "rows": context.rows,
        "log": log,
    }


# --- the operations (each in its own process) --------------------------------------------


def _survey(what: str, pk: int | None = None):
    """The consultation an operation works on: ``pk`` when given, else closing takes the
    largest one still open, the others the one closed last (so that a database can be
    measured again with ``--reuse``: four consultations, four closings)."""
    from django.db.models import Count
    from national.generate import HOST

    from civitas.components.surveys.models import Survey

    surveys = Survey.objects.filter(component__space__organization__host=HOST)
    if pk is not None:
        chosen = surveys.get(pk=pk)
    elif what == "close":
        surveys = surveys.filter(frozen_at__isnull=True).annotate(size=Count("participations"))
        chosen = surveys.order_by("-size", "pk").first()
    elif surveys.filter(frozen_at__isnull=False).exists():
        chosen = surveys.filter(frozen_at__isnull=False).order_by("-frozen_at").first()
    else:
        chosen = surveys.order_by("pk").first()
    return Survey.objects.select_related("component__space__organization").get(pk=chosen.pk)


def phase_open_surveys() -> dict:
    """The national consultation's questionnaires still open, largest first."""
    _django()
    from django.db.models import Count
    from national.generate import HOST

    from civitas.components.surveys.models import Survey

    open_ones = Survey.objects.filter(component__space__organization__host=HOST, frozen_at__isnull=True)
    largest_first = open_ones.annotate(size=Count("participations")).order_by("-size", "pk")
    return {"surveys": list(largest_first.values_list("pk", flat=True))}


def phase_operation(what: str, survey_pk: int | None = None) -> dict:
    _django()
    from django.db import connection, transaction

    survey = _survey(what, survey_pk)
    organization = survey.component.space.organization
    before = _peak_mb()
    started, cpu = time.perf_counter(), _cpu_seconds()
    detail: dict = {}
    if what == "close":
        from civitas.components.surveys import services

        sealed_at: list[float] = []
        # As the queue's closing does (ballotbox.background.run_closing): the vote is closed
        # at the commit, and the storage scrub the closing leaves to on_commit comes after.
        with transaction.atomic():
            transaction.on_commit(lambda: sealed_at.append(time.perf_counter()))
            services.do_close(survey=survey, user=_admin(organization))
        detail = {
            "survey": survey.pk,
            "answers": survey.tally["answers"],
            "seal": survey.seal,
            "sealed_seconds": round(sealed_at[0] - started, 1),
        }
    elif what == "rewrite":
        from civitas.ballotbox.services import checkpoint, rewrite_without_dead_rows
        from civitas.components.surveys.models import Survey

        detail = {"rewritten": rewrite_without_dead_rows(Survey._meta.db_table)}
        checkpoint()
    elif what in {"csv", "json", "xlsx"}:
        detail = {"bytes": _export(survey, what)}
    elif what == "published":
        from civitas.ballotbox.services import iter_published

        path = VAR / "published.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for line in iter_published(survey):
                out.write(line)
        detail = {"bytes": path.stat().st_size, "seal": survey.seal}
    elif what == "opendata":
        from civitas.opendata.export import build_archive

        _name, counts, size = build_archive(organization)
        detail = {"bytes": size, "rows": sum(counts.values())}
    elif what == "spam":
        from civitas.spam.services import scan_organization

        run = scan_organization(organization)
        detail = {"examined": run.examined, "scored": run.scored, "error": run.error or None}
    elif what == "search":
        from civitas.search.indexing import rebuild

        detail = {"entries": rebuild(organization)}
    elif what != "reference":
        raise SystemExit(f"unknown operation {what}")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(_cpu_seconds() - cpu, 1),
        "peak_mb": _peak_mb(),
        "before_mb": before,
        "queries_vendor": connection.vendor,
        **detail,
    }


def _admin(organization):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(organization=organization, is_organization_admin=True).first()


def _export(survey, export_format: str) -> int:
    """The bytes of one export, through the functions the admin's download view runs."""
    from civitas.components.surveys import exports
    from civitas.components.surveys.questionnaire import definition_of
    from civitas.core.streaming import streamed_export

    definition = definition_of(survey)
    rows = exports.iter_rows(survey, definition)
    if export_format == "xlsx":
        response = exports.xlsx_response(filename="x", columns=exports.columns_of(definition), rows=rows)
    else:
        columns = [name for name, _header in exports.columns_of(definition)]
        response = streamed_export(filename="x", export_format=export_format, columns=columns, rows=rows)
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    return size


def _recount(url: str, seal: str) -> dict:
    """``python -m civitas.recount`` on the published file, as anyone would run it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "civitas.recount", str(VAR / "published.jsonl"), "--seal", seal],
        cwd=ROOT,
        env=django_environment(url, VAR),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    cpu = usage.ru_utime + usage.ru_stime
    output = process.stdout.read() + process.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the recount failed:\n{output[-2000:]}")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "output": output[-300:],
    }


# --- the driver --------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--what")
    parser.add_argument("--survey", type=int, help="the consultation to close (default: the largest open)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--scales", type=float, nargs="+", default=[0.1, 0.5, 1.0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--skip", nargs="*", default=[], help="operations left out")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database as an earlier run left it, without generating",
    )
    parser.add_argument(
        "--consultations-only",
        action="store_true",
        help="generate the accounts and the consultations only, answers in the first one only, not the "
        "proposals, comments and petition (quicker on a shared machine; the open-data archive and the "
        "search reindex then see only part of the data set)",
    )
    args = parser.parse_args()
    if args.phase == "generate":
        print(json.dumps(phase_generate(args.scale, args.workers, args.consultations_only)))
        return
    if args.phase == "operation":
        print(json.dumps(phase_operation(args.what, args.survey)))
        return
    if args.phase == "open-surveys":
        print(json.dumps(phase_open_surveys()))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "national_bulk.json"
    report = json.loads(path.read_text()) if path.exists() else {}
    report.setdefault("scales", {})
    report["cores"] = os.cpu_count()
    for scale in args.scales:
        if args.reuse:
            generated = report["scales"].get(str(scale), {}).get("generate")
        else:
            fresh_postgres_database(args.postgres)
            print(f"scale {scale}: generating …", flush=True)
            options = ["--scale", str(scale), "--workers", str(args.workers)]
            if args.consultations_only:
                options.append("--consultations-only")
            generated = run_phase(__file__, "generate", args.postgres, VAR, *options)
            print(f"  {generated['seconds']} s: {'; '.join(generated['log'])}", flush=True)
        results: dict = {
            "generate": generated,
            "consultations_only": args.consultations_only,
            "operations": {},
        }
        report["scales"][str(scale)] = results
        seal = ""
        for what in OPERATIONS:
            if what in args.skip:
                continue
            load = os.getloadavg()[0]
            if what == "recount":
                result = _recount(args.postgres, seal)
            elif what == "close-all":
                result = _close_all(args.postgres)
            else:
                result = run_phase(__file__, "operation", args.postgres, VAR, "--what", what)
            result["load_before"] = round(load, 2)
            result["load_after"] = round(os.getloadavg()[0], 2)
            seal = result.get("seal", seal)
            results["operations"][what] = result
            print(f"  {what}: {result['seconds']} s, {result['peak_mb']} MB (load {load:.1f})", flush=True)
            path.write_text(json.dumps(report, indent=2))
    _print_table(report)


def _close_all(database_url: str) -> dict:
    """Every open questionnaire closed at once, each closing in its own process."""
    surveys = run_phase(__file__, "open-surveys", database_url, VAR)["surveys"]
    started = time.perf_counter()
    closings = [
        subprocess.Popen(
            [sys.executable, __file__, "--phase", "operation", "--what", "close", "--survey", str(pk)],
            env=django_environment(database_url, VAR),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for pk in surveys
    ]
    each = []
    for closing in closings:
        out, err = closing.communicate()
        if closing.returncode != 0:
            raise SystemExit(f"a closing failed:\n{out[-2000:]}\n{err[-4000:]}")
        each.append(json.loads(out.strip().splitlines()[-1]))
    wall = time.perf_counter() - started
    rewrite = run_phase(__file__, "operation", database_url, VAR, "--what", "rewrite")
    return {
        "seconds": round(wall, 1),
        "sealed_seconds": max(closing["sealed_seconds"] for closing in each),
        "cpu_seconds": round(sum(closing["cpu_seconds"] for closing in each), 1),
        "peak_mb": max(closing["peak_mb"] for closing in each),
        "answers": sum(closing["answers"] for closing in each),
        "closings": each,
        "rewrite_seconds": rewrite["seconds"],
        "rewritten": rewrite["rewritten"],
    }


def _print_table(report: dict) -> None:
    scales = sorted(report["scales"], key=float)
    print(f"\nBulk work at national volume ({report['cores']} cores), each operation in its own process")
    print(f"{'operation':<11}{'scale':>7}{'seconds':>9}{'CPU s':>8}{'peak MB':>9}{'load':>6}  size")
    slow = []
    for what in OPERATIONS:
        for scale in scales:
            row = report["scales"][scale]["operations"].get(what)
            if row is None:
                continue
            size = next(
                (f"{row[key]:,} {key}" for key in ("answers", "bytes", "examined", "entries") if key in row),
                "",
            )
            cpu = row.get("cpu_seconds", "")
            share = f"{float(scale):.0%}"
            print(
                f"{what:<11}{share:>7}{row['seconds']:>9}{cpu:>8}{row['peak_mb']:>9}"
                f"{row['load_before']:>6.1f}  {size}"
            )
            if row["seconds"] > TARGET_SECONDS:
                slow.append(f"{what} at {float(scale):.0%}")
    print("load: the 1-minute load average of the machine (2 cores, shared) when the operation started")
    print(
        f"target: every operation < {TARGET_SECONDS} s — "
        + ("met" if not slow else f"NOT met: {', '.join(slow)}")
    )


if __name__ == "__main__":
    main()
