"""Majority-judgment tally of 1,000,000 ballots × 20 candidates, beside the NumPy counting floor.

    python bench/mj_bench.py [--ballots 1000000] [--candidates 20] [--db-ballots N] [--postgres URL]

In memory (this process):
    floor          ``np.bincount`` of the grades alone (cell indices precomputed): the least
                   any counting can cost;
    count + rank   :func:`count_grades` (offsets, range check, one bincount) then the
                   closed-form ranking: the whole tally from a ballot array;
    rank           the ranking from counted grades alone (target < 1 s);
    raw file       reading the CSV file (one row per ballot) then counting and ranking;
    command line   ``python -m civitas.voting.majority_judgment FILE.csv``, process and all.
From the database (one child process per database, fresh schema): the ballots are stored
as the component stores them (one row per ballot, JSON payload), then
:func:`database_profiles` counts them with GROUP BY and the ranking follows. SQLite in
bench/var/, PostgreSQL when ``--postgres`` answers. Prints a table and writes
bench/results/mj_bench.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from loadkit import run_phase

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE = VAR / "mj_bench.sqlite3"
BALLOT_FILE = VAR / "mj_ballots.csv"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_mj_bench"
GRADES = 7


def _ballots(count: int, candidates: int):
    """Skewed, realistic ballots: each candidate has its own grade distribution."""
    import numpy as np

    rng = np.random.default_rng(2026)
    columns = []
    for _candidate in range(candidates):
        weights = rng.dirichlet(np.full(GRADES, 2.0))
        columns.append(rng.choice(GRADES, size=count, p=weights).astype(np.uint8))
    return np.column_stack(columns)


def _best_of(repeats: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def _peak_bytes(run) -> int:
    """Peak of memory allocated while ``run`` runs (NumPy reports its buffers to tracemalloc)."""
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def in_memory(count: int, candidates: int) -> dict:
    import numpy as np

    from civitas.voting import majority_judgment as mj

    ballots = _ballots(count, candidates)
    names = [f"c{index:02d}" for index in range(candidates)]
    cells = (ballots.astype(np.int64) + np.arange(candidates, dtype=np.int64) * GRADES).ravel()
    floor, _ = _best_of(5, lambda: np.bincount(cells, minlength=candidates * GRADES))
    counted, results = _best_of(5, lambda: mj.rank_ballots(names, ballots, GRADES))
    counts = mj.count_grades(ballots, GRADES)
    profiles = {name: counts[index].tolist() for index, name in enumerate(names)}
    ranking, _ = _best_of(5, lambda: mj.rank(profiles))
    VAR.mkdir(parents=True, exist_ok=True)
    with open(BALLOT_FILE, "wb") as handle:
        handle.write((",".join(names) + "\n").encode())
        digits = ballots + np.uint8(ord("0"))
        rows = np.empty((count, 2 * candidates), dtype=np.uint8)
        rows[:, 0::2] = digits
        rows[:, 1::2] = ord(",")
        rows[:, -1] = ord("\n")
        handle.write(rows.tobytes())

    def from_file():
        names_read, read = mj.read_ballot_file(BALLOT_FILE.read_bytes(), GRADES)
        return mj.rank_ballots(names_read, read, GRADES)

    raw_file, file_results = _best_of(3, from_file)
    # Memory is compared with the ballots themselves (one byte per grade), the least any
    # tally holding them can use; timings above are taken without tracing, which slows.
    offsets = np.arange(candidates, dtype=np.int64) * GRADES
    floor_peak = _peak_bytes(
        lambda: np.bincount((ballots.astype(np.int64) + offsets).ravel(), minlength=candidates * GRADES)
    )
    count_peak = _peak_bytes(lambda: mj.rank_ballots(names, ballots, GRADES))
    file_peak = _peak_bytes(from_file)
    assert [(r.name, r.rank) for r in file_results] == [(r.name, r.rank) for r in results]
    start = time.perf_counter()
    cli = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "civitas.voting.majority_judgment", str(BALLOT_FILE)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    command_line = time.perf_counter() - start
    assert cli.stdout.splitlines()[0].split("\t")[1] == results[0].name
    return {
        "ballots": count,
        "candidates": candidates,
        "file_megabytes": round(BALLOT_FILE.stat().st_size / 1e6, 1),
        "floor_seconds": round(floor, 4),
        "count_and_rank_seconds": round(counted, 4),
        "rank_from_counts_seconds": round(ranking, 6),
        "raw_file_seconds": round(raw_file, 4),
        "command_line_seconds": round(command_line, 3),
        "ballots_megabytes": round(ballots.nbytes / 1e6, 1),
        "floor_peak_megabytes": round(floor_peak / 1e6, 1),
        "count_and_rank_peak_megabytes": round(count_peak / 1e6, 1),
        "raw_file_peak_megabytes": round(file_peak / 1e6, 1),
        "winner": results[0].name,
        "ranking": [(r.rank, r.name, r.majority_grade) for r in results],
    }


# --- database ------------------------------------------------------------------------


def _store_ballots(election, ballots, candidate_ids) -> float:
    """Store the ballots as the component does (one anonymous row each); returns seconds."""
    import uuid

    from django.db import connection, transaction

    from civitas.components.majority_judgment.models import Ballot

    table = connection.ops.quote_name(Ballot._meta.db_table)
    day = "2026-11-29"
    start = time.perf_counter()
    chunk = 50_000
    with transaction.atomic():
        for begin in range(0, len(ballots), chunk):
            rows = []
            for row in ballots[begin : begin + chunk].tolist():
                payload = json.dumps({"grades": dict(zip(candidate_ids, row, strict=True))})
                rows.append((str(uuid.uuid4()), day, "online", None, payload, election.pk))
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    raw = cursor.cursor
                    columns = "id, day, channel, receipt_hash, payload, election_id"
                    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for record in rows:
                            copy.write_row(record)
                else:
                    cursor.executemany(
                        f"INSERT INTO {table} (id, day, channel, receipt_hash, payload, election_id) "  # noqa: S608
                        "VALUES (%s, %s, %s, %s, %s, %s)",
                        rows,
                    )
    return time.perf_counter() - start


def phase_database(count: int, candidates: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)

    from civitas.components.majority_judgment.counting import database_profiles
    from civitas.testing.factories import OrganizationFactory, UserFactory
    from civitas.testing.participation import published_component, published_space
    from civitas.voting import majority_judgment as mj

    organization = OrganizationFactory(name="Bench", host="bench.test")
    admin = UserFactory(organization=organization, is_organization_admin=True)
    component = published_component(published_space(organization, admin), admin, "majority_judgment")
    election = component.election
    from civitas.components.majority_judgment.models import Candidate

    candidate_ids = [
        str(Candidate.objects.create(election=election, title=f"c{index:02d}", position=index).pk)
        for index in range(candidates)
    ]
    insert_seconds = _store_ballots(election, _ballots(count, candidates), candidate_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    def tally():
        return mj.rank(database_profiles(election))

    seconds, results = _best_of(1, tally)  # one pass: a million rows take a while
    return {
        "vendor": connection.vendor,
        "ballots": count,
        "insert_seconds": round(insert_seconds, 2),
        "database_tally_seconds": round(seconds, 3),
        # The same ballots as in memory: the same winner, by title.
        "winner": Candidate.objects.get(pk=results[0].name).title,
    }


def _postgres_answers(url: str) -> bool:
    try:
        import psycopg

        base = url.replace("postgres://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(base, connect_timeout=3, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                connection.execute(f'CREATE DATABASE "{name}"')
        return True
    except Exception:
        return False


def _print_table(report: dict) -> None:
    memory = report["memory"]
    floor = memory["floor_seconds"]
    print(
        f"\nMajority judgment: {memory['ballots']:,} ballots × {memory['candidates']} candidates, "
        f"{GRADES} grades (raw file {memory['file_megabytes']} MB)"
    )
    print(f"{'what':<42} {'seconds':>9} {'× floor':>8}")
    rows = [
        ("NumPy counting floor (np.bincount)", floor),
        ("count + rank, ballots in memory", memory["count_and_rank_seconds"]),
        ("rank from counted grades", memory["rank_from_counts_seconds"]),
        ("raw CSV file: read + count + rank", memory["raw_file_seconds"]),
        ("command line (process, read, count, rank)", memory["command_line_seconds"]),
    ]
    for run in report["databases"]:
        rows.append((f"{run['vendor']}: GROUP BY count + rank", run["database_tally_seconds"]))
    for label, seconds in rows:
        print(f"{label:<42} {seconds:>9.4f} {seconds / floor:>8.1f}")
    for run in report["databases"]:
        stored = f"{run['ballots']:,} ballots stored in {run['insert_seconds']} s"
        print(f"({run['vendor']}: {stored}, not timed above)")
    size = memory["ballots_megabytes"]
    print(f"\nPeak memory allocated (tracemalloc); the ballots themselves take {size} MB:")
    floor_peak = memory["floor_peak_megabytes"]
    peaks = (
        ("NumPy counting floor (one bincount)", "floor_peak_megabytes"),
        ("count + rank", "count_and_rank_peak_megabytes"),
        ("raw CSV file", "raw_file_peak_megabytes"),
    )
    for label, key in peaks:
        peak = memory[key]
        ratios = f"{peak / size:>5.1f} × ballots  {peak / floor_peak:>5.2f} × floor"
        print(f"  {label:<36} {peak:>7.1f} MB  {ratios}")
    print("MieuxVoter's Python library takes about 41 s on the same ballots (issue 6, not measured).")
    if report.get("postgresql_skipped"):
        print(f"PostgreSQL skipped: {report['postgresql_skipped']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=20)
    parser.add_argument("--db-ballots", type=int, default=None, help="ballots stored in each database")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--skip-databases", action="store_true")
    args = parser.parse_args()
    db_ballots = args.db_ballots if args.db_ballots is not None else args.ballots
    if args.phase == "database":
        print(json.dumps(phase_database(db_ballots, args.candidates)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict = {"memory": in_memory(args.ballots, args.candidates), "databases": []}
    print(f"  {json.dumps({k: v for k, v in report['memory'].items() if k != 'ranking'})}", flush=True)
    if not args.skip_databases:
        for path in VAR.glob("mj_bench.sqlite3*"):
            path.unlink()
        targets = [f"sqlite:///{SQLITE}"]
        if _postgres_answers(args.postgres):
            targets.append(args.postgres)
        else:
            report["postgresql_skipped"] = f"{args.postgres} does not answer"
        for url in targets:
            result = run_phase(
                __file__,
                "database",
                url,
                VAR,
                "--db-ballots",
                str(db_ballots),
                "--candidates",
                str(args.candidates),
            )
            report["databases"].append(result)
            print(f"  {result}", flush=True)
    (RESULTS / "mj_bench.json").write_text(json.dumps(report, indent=2))
    _print_table(report)


if __name__ == "__main__":
    main()
