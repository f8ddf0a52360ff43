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
as the component stores them (one row per ballot, JSON payload, and their grades added to
the kept per-candidate counts in the same transaction), then
    kept counts    :func:`database_profiles` reads the counts table, and the ranking follows;
    recount        :func:`recount_profiles` counts the ballots' JSON with GROUP BY (what
                   every count did before the counts table; now the check at closing);
    write cost     storing ballots one by one through the ballot box, with and without
                   keeping the counts, to show what each vote pays for them.
SQLite in bench/var/, PostgreSQL when ``--postgres`` answers. Prints a table and writes
bench/results/mj_bench.json.

No other library is timed: MieuxVoter's package on PyPI (``majority-judgment`` 0.1.0) holds
only a version number, no code, so there is nothing to run beside ours in the same process,
and a figure this script did not measure is not printed.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from loadkit import postgres_bench_database, run_phase

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


def _store_ballots(election, ballots, candidate_ids) -> tuple[float, float]:
    """Store the ballots as the component does (one anonymous row each, counts kept).

    Returns the seconds spent storing the rows and the seconds spent adding them to the
    kept counts (one ``add_to_counts`` per chunk, as a paper batch does).
    """
    import uuid

    from django.db import connection, transaction

    from civitas.components.majority_judgment.counting import add_to_counts
    from civitas.components.majority_judgment.models import Ballot

    table = connection.ops.quote_name(Ballot._meta.db_table)
    day = "2026-11-29"
    rows_seconds = counts_seconds = 0.0
    chunk = 50_000
    with transaction.atomic():
        for begin in range(0, len(ballots), chunk):
            start = time.perf_counter()
            rows, payloads = [], []
            for row in ballots[begin : begin + chunk].tolist():
                payload = {"grades": dict(zip(candidate_ids, row, strict=True))}
                payloads.append(payload)
                rows.append((str(uuid.uuid4()), day, "online", None, json.dumps(payload), election.pk))
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
            middle = time.perf_counter()
            add_to_counts(election, payloads)
            rows_seconds += middle - start
            counts_seconds += time.perf_counter() - middle
    return rows_seconds, counts_seconds


def _write_cost(organization, admin, candidates: int, ballots: int) -> dict:
    """Seconds per ballot stored one by one through the ballot box, without and with counts."""
    from civitas.ballotbox import services as ballotbox
    from civitas.components.majority_judgment.models import Ballot, Candidate
    from civitas.components.majority_judgment.services import cast_counted
    from civitas.testing.participation import published_component, published_space

    def election_with_candidates(title):
        space = published_space(organization, admin, title=title)
        election = published_component(space, admin, "majority_judgment").election
        ids = [
            str(Candidate.objects.create(election=election, title=f"c{index:02d}", position=index).pk)
            for index in range(candidates)
        ]
        return election, ids

    def run(store) -> float:
        election, ids = election_with_candidates(f"write {store.__name__}")
        start = time.perf_counter()
        for index in range(ballots):
            grades = {candidate: (index + offset) % GRADES for offset, candidate in enumerate(ids)}
            store(election, Ballot(election=election, payload={"grades": grades}))
        return (time.perf_counter() - start) / ballots

    def plain(election, ballot):
        ballotbox.cast(target=election, participation=None, record=ballot)

    def counted(election, ballot):
        cast_counted(election, participation=None, ballot=ballot)

    return {
        "write_ballots": ballots,
        "write_plain_ms": round(1000 * run(plain), 3),
        "write_counted_ms": round(1000 * run(counted), 3),
    }


def phase_database(count: int, candidates: int, write_ballots: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)

    from civitas.components.majority_judgment.counting import database_profiles, recount_profiles
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
    insert_seconds, counts_seconds = _store_ballots(election, _ballots(count, candidates), candidate_ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    kept_seconds, kept = _best_of(3, lambda: mj.rank(database_profiles(election)))
    recount_seconds, recounted = _best_of(1, lambda: mj.rank(recount_profiles(election)))  # slow: once
    assert [(r.name, r.rank) for r in kept] == [(r.name, r.rank) for r in recounted]
    assert database_profiles(election) == recount_profiles(election)
    return {
        "vendor": connection.vendor,
        "ballots": count,
        "insert_seconds": round(insert_seconds, 2),
        "counts_on_insert_seconds": round(counts_seconds, 2),
        "kept_counts_tally_seconds": round(kept_seconds, 4),
        "recount_tally_seconds": round(recount_seconds, 3),
        **_write_cost(organization, admin, candidates, write_ballots),
        # The same ballots as in memory: the same winner, by title.
        "winner": Candidate.objects.get(pk=kept[0].name).title,
    }


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
        rows.append((f"{run['vendor']}: kept counts read + rank", run["kept_counts_tally_seconds"]))
        rows.append((f"{run['vendor']}: recount of the JSON + rank", run["recount_tally_seconds"]))
    for label, seconds in rows:
        print(f"{label:<42} {seconds:>9.4f} {seconds / floor:>8.1f}")
    for run in report["databases"]:
        stored = f"{run['ballots']:,} ballots stored in {run['insert_seconds']} s"
        counts = f"{run['counts_on_insert_seconds']} s more to add them to the kept counts"
        print(f"({run['vendor']}: {stored}, {counts}; not timed above)")
        print(
            f"({run['vendor']}: one ballot at a time through the ballot box, {run['write_ballots']} ballots: "
            f"{run['write_plain_ms']} ms without counts, {run['write_counted_ms']} ms with them)"
        )
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
    parser.add_argument("--write-ballots", type=int, default=500, help="ballots cast one by one")
    args = parser.parse_args()
    db_ballots = args.db_ballots if args.db_ballots is not None else args.ballots
    if args.phase == "database":
        print(json.dumps(phase_database(db_ballots, args.candidates, args.write_ballots)))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict = {"memory": in_memory(args.ballots, args.candidates), "databases": []}
    print(f"  {json.dumps({k: v for k, v in report['memory'].items() if k != 'ranking'})}", flush=True)
    if not args.skip_databases:
        for path in VAR.glob("mj_bench.sqlite3*"):
            path.unlink()
        targets = [f"sqlite:///{SQLITE}"]
        if postgres_bench_database(args.postgres):
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
                "--write-ballots",
                str(args.write_ballots),
            )
            report["databases"].append(result)
            print(f"  {result}", flush=True)
    (RESULTS / "mj_bench.json").write_text(json.dumps(report, indent=2))
    _print_table(report)


if __name__ == "__main__":
    main()
