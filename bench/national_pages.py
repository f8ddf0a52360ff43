"""Pages and search at national volume beside the same pages on an empty platform (issue 21, item 2).

Two gunicorn servers (2 workers × 4 threads each, DEBUG off, the default caches: pages and
fragments in each worker's memory, counters in the database) run side by side on loopback:
one on the national data set (``bench/national/generate.py``, database
``civitas_national_bench`` by default, used as it is: never dropped or regenerated here),
one on an *empty platform*: the same generator at ``--empty-scale`` (0.0001 by default: the
organization, its 50 processes and their components and phases, 50 accounts, 10 proposals,
100 supports, 100 comments, 200 signatures). The empty platform has the structure of the
national one (same spaces, components, settings, same code paths) and almost no content, so
the ratio of the two says what the volume costs.

For each page, concurrent clients loop on it for ``--seconds``, on each server in turn, in
``--rounds`` rounds ordered A, B, B, A (national, empty) so that the machine's changing load
falls on both alike; the trivial view (``/healthz``) is measured the same way on both servers,
as the stack's ceiling. Pages: home, spaces list, a space, the proposals list (anonymous
from the page cache; anonymous with a query string no one asked before, so rendered; logged
in, always rendered), the proposal with the most comments (5,000 at scale 1.0), search (a
few French queries), the organization's and a space's statistics, a consultation's results
(when the data set has a consultation with published results: the generator leaves them
open; ``--close-consultation`` closes the first one of both databases with the real code and
publishes its results, so only on databases of your own) and the API (spaces, proposals of
the largest component, the big proposal's comments, statistics, the consultation's results).

Both servers are warmed first (every page asked a few times: caches filled, as on a site in
use); the warm-up's slowest answer per page is reported too (a cold cache's cost).

Prints p50/p95/p99, requests/s, the share of the trivial view's rate, the national/empty
ratio of p95 (target ≤ 2) and the machine's load average; writes
bench/results/national_pages.json. Logged-in clients use sessions this script adds to each
database (a few rows in ``django_session``).

    .venv/bin/python bench/national_pages.py [--national-url URL] [--empty-url URL]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from loadkit import (
    ROOT,
    Browser,
    Gunicorn,
    bench_database_name,
    django_environment,
    free_port,
    run_phase,
    summarize,
)

RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "bench" / "var" / "national_pages"
NATIONAL_URL = "postgres://postgres@127.0.0.1:5432/civitas_national_bench"
EMPTY_URL = "postgres://postgres@127.0.0.1:5432/civitas_pages_empty_bench"
HOST = "grand-debat.localhost"  # bench/national/generate.py's
SEARCHES = ("transports en commun", "impôts", "hôpital de proximité", "écologie", "retraites")
TARGET_RATIO = 2.0


# --- phase run in a Django process on one database ---------------------------------------


def plan(sessions: int) -> dict:
    """The URLs of each page on this database, logged-in sessions and the data set's size."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.db.models import Count

    from civitas.accounts.models import User
    from civitas.components.models import Component
    from civitas.components.proposals.models import Proposal
    from civitas.organizations.models import Organization

    organization = Organization.objects.get(host=HOST)
    proposals = Proposal.objects.filter(component__space__organization=organization)
    biggest = (
        proposals.values("component").annotate(n=Count("pk")).order_by("-n", "component").first()["component"]
    )
    component = Component.objects.select_related("space").get(pk=biggest)
    busiest = proposals.order_by("-comment_count", "pk").first()
    space = component.space
    base = component.get_absolute_url()
    pages = {
        "home": ["/"],
        "spaces list": ["/spaces/"],
        "a space": [f"/spaces/{space.slug}/"],
        "proposals list, anonymous, cached": [base],
        "proposals list, anonymous, rendered": [f"{base}?order=recent&visit={{n}}"],
        "proposals list, logged in": [base],
        "proposal with the most comments": [f"{busiest.get_absolute_url()}"],
        "search": [f"/search/?{urlencode({'q': query})}" for query in SEARCHES],
        "statistics": ["/stats/"],
        "statistics of a space": [f"/stats/spaces/{space.slug}/"],
        "API: spaces": ["/api/v1/spaces/"],
        "API: proposals of a component": [f"/api/v1/proposals/?component={component.pk}"],
        "API: comments of the big proposal": [f"/api/v1/proposals/{busiest.pk}/comments/"],
        "API: statistics": ["/api/v1/statistics/"],
    }
    # The last page of the two longest lists, reached as a client following next would:
    # a keyset page costs what the first one does (no COUNT, no OFFSET).
    from civitas.api.pagination import PAGE_SIZE, cursor_at
    from civitas.comments.models import Comment

    last_proposals = proposals.filter(component=component).order_by("-pk")[PAGE_SIZE : PAGE_SIZE + 1]
    last_comments = (
        Comment.objects.of(busiest).visible().order_by("-created_at", "-pk")[PAGE_SIZE : PAGE_SIZE + 1]
    )
    for name, path, query, rows, ordering in (
        (
            "API: proposals of a component, last page",
            "/api/v1/proposals/",
            f"component={component.pk}&",
            last_proposals,
            ("pk",),
        ),
        (
            "API: comments of the big proposal, last page",
            f"/api/v1/proposals/{busiest.pk}/comments/",
            "",
            last_comments,
            ("created_at", "pk"),
        ),
    ):
        if row := next(iter(rows), None):
            pages[name] = [f"{path}?{query}{urlencode({'cursor': cursor_at(path, row, ordering)})}"]
    results = Component.objects.filter(
        space__organization=organization, manifest_name="surveys", survey__results_published_at__isnull=False
    ).order_by("pk")
    consultation = results.first()
    if consultation is not None:
        pages["consultation results"] = [f"{consultation.get_absolute_url()}results/"]
        pages["API: consultation results"] = [f"/api/v1/surveys/{consultation.pk}/results/"]

    def session_of(user) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "civitas.accounts.backends.OrganizationAccountBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    people = User.objects.filter(
        organization=organization, is_active=True, is_organization_admin=False, deleted_at__isnull=True
    ).order_by("pk")[:sessions]
    rows = {}
    with connection.cursor() as cursor:
        for label, table in (
            ("accounts", "accounts_user"),
            ("spaces", "spaces_space"),
            ("proposals", "proposals_proposal"),
            ("supports", "proposals_support"),
            ("comments", "comments_comment"),
            ("search entries", "search_indexentry"),
            ("petition signatures", "petitions_signature"),
            ("consultation answers", "surveys_answer"),
        ):
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if cursor.fetchone()[0]:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (fixed names)
                rows[label] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
    return {
        "pages": pages,
        "sessions": [session_of(user) for user in people],
        "rows": rows,
        "database_bytes": size,
        "big_proposal_comments": busiest.comment_count,
        "list_proposals": proposals.filter(component=component).count(),
    }


def close_consultation() -> dict:
    """Close the data set's first consultation with the real code and publish its results,
    so that its results page exists (the generator leaves the consultations open)."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from civitas.components.surveys.models import Survey
    from civitas.components.surveys.services import do_close, do_set_results_published
    from civitas.organizations.models import Organization

    organization = Organization.objects.get(host=HOST)
    survey = (
        Survey.objects.filter(component__space__organization=organization).order_by("component_id").first()
    )
    if survey is None:
        return {"closed": None}
    started = time.perf_counter()
    admin = organization.users.filter(is_organization_admin=True).order_by("pk").first()
    if not survey.is_frozen:
        do_close(survey=survey, user=admin)
    if survey.results_published_at is None:
        do_set_results_published(survey=survey, user=admin, published=True)
    return {"closed": survey.component_id, "seconds": round(time.perf_counter() - started, 1)}


# --- load --------------------------------------------------------------------------------


def load_average() -> list[float]:
    return [float(value) for value in Path("/proc/loadavg").read_text().split()[:3]]


def drive(port: int, paths: list[str], clients: int, seconds: float, sessions: list[str] | None) -> dict:
    """``clients`` visitors, each on one connection, looping over ``paths`` for ``seconds``.

    ``{n}`` in a path is replaced by a number no request used before (a page no cache holds).
    Anonymous visitors keep the cookies they are given, as a browser does.
    """
    latencies: list[float] = []
    causes: dict[str, int] = {}
    lock = threading.Lock()
    counter = iter(range(10**9))
    deadline = time.perf_counter() + seconds

    def client(index: int) -> None:
        session = sessions[index % len(sessions)] if sessions else None
        browser = Browser(port, HOST, session=session)
        mine, why, turn = [], {}, index
        while time.perf_counter() < deadline:
            path = paths[turn % len(paths)]
            turn += 1
            if "{n}" in path:
                with lock:
                    path = path.replace("{n}", str(next(counter)))
            try:
                response = browser.request("GET", path)
            except OSError as error:
                why[type(error).__name__] = why.get(type(error).__name__, 0) + 1
                continue
            if response.status != 200:
                why[str(response.status)] = why.get(str(response.status), 0) + 1
                continue
            mine.append(response.seconds)
        browser.close()
        with lock:
            latencies.extend(mine)
            for cause, count in why.items():
                causes[cause] = causes.get(cause, 0) + count

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    row = summarize("", latencies, sum(causes.values()), time.perf_counter() - started)
    row["error_causes"] = causes
    return row


def warm(port: int, paths: list[str], sessions: list[str] | None, times: int = 4) -> float:
    """Ask each path ``times`` times, one at a time, from each worker's point of view; the
    slowest answer (a cold cache's), in ms."""
    slowest = 0.0
    for _ in range(times):
        for path in paths:
            browser = Browser(port, HOST, session=sessions[0] if sessions else None)
            browser.connection = None
            response = browser.request("GET", path.replace("{n}", "warm"))
            browser.close()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status} on port {port}")
            slowest = max(slowest, response.seconds)
    return round(slowest * 1000, 1)


def merge(rows: list[dict]) -> dict:
    """Rounds of one page on one server: requests and errors add up; percentiles are the
    median round's (rounds are too few to pool latencies fairly across load changes)."""
    ordered = sorted(rows, key=lambda row: row["p95_ms"] or 0)
    causes: dict[str, int] = {}
    for row in rows:
        for cause, count in row["error_causes"].items():
            causes[cause] = causes.get(cause, 0) + count
    middle = ordered[len(ordered) // 2]
    return {
        "requests": sum(row["requests"] for row in rows),
        "errors": sum(row["errors"] for row in rows),
        "rps": round(sum(row["rps"] for row in rows) / len(rows), 1),
        "p50_ms": middle["p50_ms"],
        "p95_ms": middle["p95_ms"],
        "p99_ms": middle["p99_ms"],
        "p95_ms_of_each_round": [row["p95_ms"] for row in rows],
        "error_causes": causes,
    }


def ensure_empty(url: str, scale: float, regenerate: bool) -> None:
    import psycopg

    name = bench_database_name(url)
    exists = False
    try:
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as server:
            exists = bool(server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL does not answer: {error}") from error
    if exists and not regenerate:
        return
    print(f"generating the empty platform into {name} (scale {scale}) …", file=sys.stderr)
    generator = ROOT / "bench" / "national" / "generate.py"
    import subprocess

    subprocess.run(
        # The national structure (50 processes, their components and phases), not scaled:
        # a list of 20 spaces a page against one of 2 measured the page size, not the volume.
        [sys.executable, str(generator), "--database-url", url, "--scale", str(scale), "--seed", "2019"]
        + ["--processes", "50"],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", choices=["plan", "close"])
    parser.add_argument(
        "--close-consultation",
        action="store_true",
        help="close the first consultation of both databases and publish its results (changes them: "
        "only on databases of your own)",
    )
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--national-url", default=NATIONAL_URL)
    parser.add_argument("--empty-url", default=EMPTY_URL)
    parser.add_argument("--empty-scale", type=float, default=0.0001)
    parser.add_argument("--regenerate-empty", action="store_true")
    parser.add_argument(
        "--generator-var",
        type=Path,
        default=ROOT / "bench" / "var" / "national",
        help="the folder where the generator keeps its ballot secret (its CIVITAS_VAR_DIR)",
    )
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2, help="A, B, B, A counts as two rounds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pages", nargs="+", help="only the pages whose name starts with one of these")
    args = parser.parse_args()
    if args.phase == "plan":
        print(json.dumps(plan(args.sessions)))
        return
    if args.phase == "close":
        print(json.dumps(close_consultation()))
        return

    for url in (args.national_url, args.empty_url):
        bench_database_name(url)
    ensure_empty(args.empty_url, args.empty_scale, args.regenerate_empty)
    # The consultations were opened with the generator's ballot secret: the servers and the
    # phases need it to close one (and every process sees the same secret).
    if (args.generator_var / "ballot_key").exists():
        os.environ["CIVITAS_BALLOT_KEY"] = (args.generator_var / "ballot_key").read_text().strip()
    script = str(Path(__file__).resolve())
    servers, plans = {}, {}
    try:
        for which, url in (("national", args.national_url), ("empty", args.empty_url)):
            var = VAR / which
            var.mkdir(parents=True, exist_ok=True)
            env = django_environment(url, var)
            env["CIVITAS_LOG_LEVEL"] = "WARNING"

            import subprocess

            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
                env=env,
                check=True,
                cwd=ROOT,
            )
            if args.close_consultation:
                closed = run_phase(script, "close", url, var)
                print(f"{which}: consultation closed {closed}", file=sys.stderr)
            plans[which] = run_phase(script, "plan", url, var, "--sessions", str(args.sessions))
            served = {
                **env,
                "DJANGO_SETTINGS_MODULE": "pages_settings",
                "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
            }
            servers[which] = Gunicorn(free_port(), args.workers, env=served)
        pages = {"trivial view": ["/healthz"], **plans["national"]["pages"]}
        if args.pages:
            pages = {
                name: paths
                for name, paths in pages.items()
                if name == "trivial view" or name.startswith(tuple(args.pages))
            }
        cold: dict[str, dict] = {}
        for name in pages:
            for which in ("national", "empty"):
                paths = plans[which]["pages"].get(name, ["/healthz"])
                sessions = plans[which]["sessions"] if "logged in" in name else None
                cold.setdefault(name, {})[which] = warm(servers[which].port, paths, sessions)
        load_before = load_average()
        measured: dict[str, dict[str, list]] = {}
        order = [w for _ in range((args.rounds + 1) // 2) for w in ("national", "empty", "empty", "national")]
        order = order[: 2 * args.rounds]
        for name in pages:
            for which in order:
                paths = pages[name] if name == "trivial view" else plans[which]["pages"].get(name)
                if paths is None:
                    continue
                sessions = plans[which]["sessions"] if "logged in" in name else None
                row = drive(servers[which].port, paths, args.clients, args.seconds, sessions)
                measured.setdefault(name, {}).setdefault(which, []).append(row)
            print(f"  measured {name}", file=sys.stderr)
        load_after = load_average()
    finally:
        for server in servers.values():
            server.stop()

    table = []
    for name, by_server in measured.items():
        row = {"page": name, "paths": pages[name], "slowest_warm_up_ms": cold.get(name, {})}
        for which, rows in by_server.items():
            row[which] = merge(rows)
        table.append(row)
    trivial = {which: table[0][which]["rps"] for which in ("national", "empty")}
    for row in table:
        for which in ("national", "empty"):
            if which in row:
                row[which]["share_of_trivial_view"] = round(row[which]["rps"] / trivial[which], 3)
        if "national" in row and "empty" in row and row["empty"]["p95_ms"]:
            row["p95_ratio_national_to_empty"] = round(row["national"]["p95_ms"] / row["empty"]["p95_ms"], 2)
    report = {
        "national": {"database": bench_database_name(args.national_url), **_dataset(plans["national"])},
        "empty": {
            "database": bench_database_name(args.empty_url),
            "scale": args.empty_scale,
            **_dataset(plans["empty"]),
        },
        "clients": args.clients,
        "seconds_per_measure": args.seconds,
        "rounds": args.rounds,
        "gunicorn": f"{args.workers} workers × 4 threads per server",
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
        "target_p95_ratio": TARGET_RATIO,
        "pages": table,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "national_pages.json").write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print_report(report)


def _dataset(plan_: dict) -> dict:
    return {
        "rows": plan_["rows"],
        "database_bytes": plan_["database_bytes"],
        "big_proposal_comments": plan_["big_proposal_comments"],
        "proposals_in_the_list": plan_["list_proposals"],
    }


def print_report(report: dict) -> None:
    national, empty = report["national"], report["empty"]
    print(
        f"\nnational: {national['database']} ({national['database_bytes'] / 1e9:.2f} GB) "
        + ", ".join(f"{kind} {count:,}" for kind, count in national["rows"].items())
    )
    print(
        f"empty: {empty['database']} (scale {empty['scale']}) "
        + ", ".join(f"{kind} {count:,}" for kind, count in empty["rows"].items())
    )
    print(
        f"{report['clients']} clients × {report['seconds_per_measure']:g} s × {report['rounds']} rounds "
        f"per page and server; {report['gunicorn']}; load average {report['load_average_before']} → "
        f"{report['load_average_after']} on {report['cpus']} CPUs\n"
    )
    header = (
        f"{'page':38} {'national p50/p95/p99 ms':>24} {'req/s':>7} {'÷triv':>6} "
        f"{'empty p50/p95/p99 ms':>22} {'req/s':>7} {'÷triv':>6} {'p95 N/E':>8}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    for row in report["pages"]:
        cells = []
        for which in ("national", "empty"):
            m = row.get(which)
            if m is None:
                cells.append(f"{'–':>24} {'':>7} {'':>6}")
                continue
            cells.append(
                f"{m['p50_ms']!s:>7}/{m['p95_ms']!s:>7}/{m['p99_ms']!s:>7} {m['rps']:>7} "
                f"{m['share_of_trivial_view']:>6}"
            )
        ratio = row.get("p95_ratio_national_to_empty")
        mark = ""
        if ratio is not None and ratio > TARGET_RATIO:
            mark = " ✗"
            missed.append(row["page"])
        errors = sum(row.get(w, {}).get("errors", 0) for w in ("national", "empty"))
        shown_errors = f"  errors {errors}" if errors else ""
        print(f"{row['page']:38} {cells[0]} {cells[1]:>37} {ratio!s:>8}{mark}{shown_errors}")
    print(f"\npages over {TARGET_RATIO}× the empty platform's p95: {', '.join(missed) or 'none'}")
    print(f"report: {(RESULTS / 'national_pages.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
