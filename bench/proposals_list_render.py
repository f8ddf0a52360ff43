"""Cost of one render of the proposal list, anonymous (page cache) beside logged in.

Seeds the data set of ``proposals_load.py`` (10,000 proposals by default) in SQLite under
``bench/var-list/``, then requests the first page of the list through Django's test
client, in-process: no server, no network, only the view, its queries and its templates.
Each kind of visitor is warmed up, then timed over ``--renders`` requests; the table
shows the median, the SQL queries per request and the logged-in/anonymous ratio, and
the report goes to ``bench/results/proposals_list_render.json``. ``--profile N`` prints
the N costliest functions of the logged-in renders (cProfile, cumulative time).
"""

import argparse
import cProfile
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

import proposals_load

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def measure(client, url: str, renders: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm-up: templates compiled, caches filled
        assert client.get(url).status_code == 200
    timings, cpu, queries = [], [], []
    for _ in range(renders):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200
        queries.append(len(captured))
    return {
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "min_ms": round(min(timings) * 1000, 2),
        # CPU time of this process (SQLite runs in it): what a render costs the server,
        # and less disturbed than wall time by other work on a shared machine.
        "median_cpu_ms": round(statistics.median(cpu) * 1000, 2),
        "queries": max(queries),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--supports", type=int, default=30_000)
    parser.add_argument("--comments", type=int, default=5_000)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()

    proposals_load.VAR = ROOT / "bench" / "var-list"  # beside a load benchmark that may be running
    proposals_load.setup_environment(None)
    plan = proposals_load.seed(args.proposals, args.supports, args.comments, clients=1)

    from django.conf import settings
    from django.test import Client

    import civitas

    settings.ALLOWED_HOSTS = ["*"]
    url = plan["urls"]["proposal list"]
    anonymous = Client(HTTP_HOST=proposals_load.HOST)
    logged_in = Client(HTTP_HOST=proposals_load.HOST)
    logged_in.cookies["sessionid"] = plan["sessions"][0]
    rows = {
        "anonymous (page cache)": measure(anonymous, url, args.renders),
        "logged in": measure(logged_in, url, args.renders),
    }
    ratio = round(rows["logged in"]["median_ms"] / max(rows["anonymous (page cache)"]["median_ms"], 0.01), 1)
    report = {
        "code": str(Path(civitas.__file__).parent.parent),
        "proposals": args.proposals,
        "supports": args.supports,
        "comments": args.comments,
        "renders": args.renders,
        "results": rows,
        "logged_in_over_anonymous": ratio,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "proposals_list_render.json").write_text(json.dumps(report, indent=2))
    print(
        f"\ncode in {report['code']}; {args.proposals} proposals; "
        f"median of {args.renders} renders of the list's first page"
    )
    print(f"{'visitor':26} {'median ms':>10} {'min ms':>8} {'CPU ms':>8} {'queries':>8}")
    for label, row in rows.items():
        print(
            f"{label:26} {row['median_ms']:>10} {row['min_ms']:>8} "
            f"{row['median_cpu_ms']:>8} {row['queries']:>8}"
        )
    print(f"logged in ÷ anonymous: {ratio}")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.renders):
            logged_in.get(url)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
