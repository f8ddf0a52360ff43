"""Closing a budget vote decided by the Method of Equal Shares: how long the database is held.

    python bench/budget_close_bench.py [--voters 5000] [--projects 30] [--postgres URL]

Each database runs in its own process on a fresh schema. One budget gets ``--voters``
encrypted ballots (1 to 8 projects each, popular projects more often), cast through the
ballot box as voting does, then is closed with the ``equal_shares`` winner rule by
:func:`do_close_vote`: the ballots are decrypted, written in random order, tallied,
sealed and frozen in one transaction. The winners can no longer be computed before it
(the ballots are unreadable until it opens them), so on SQLite every other write of the
site waits for the whole closing. Reported: the seconds of the closing, and of the equal
shares count alone (recomputed from the opened ballots). Prints a table and writes
bench/results/budget_close_bench.json.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from loadkit import postgres_bench_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE = VAR / "budget_close_bench.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_budgets_bench"


def _budget_with_ballots(organization, admin, title: str, voters: int, projects: int):
    """A component closed to voting, its rule set to equal shares, with encrypted ballots."""
    from civitas.ballotbox import services as ballotbox
    from civitas.components.budgets.models import Budget, Project
    from civitas.testing.components import configure_component
    from civitas.testing.participation import published_component, published_space

    component = published_component(published_space(organization, admin, title=title), admin, "budgets")
    configure_component(component, admin, settings={"winner_rule": "equal_shares"}, voting_enabled=False)
    budget = Budget.objects.create(component=component, title=title, total=1_000_000)
    rng = random.Random(2026)
    created = [
        Project.objects.create(budget=budget, title=f"p{index:02d}", amount=rng.randint(10, 200) * 1000)
        for index in range(projects)
    ]
    weights = [rng.random() ** 2 for _ in created]
    ballots = [
        (
            "online",
            {
                "projects": sorted(
                    {str(p.pk) for p in rng.choices(created, weights=weights, k=rng.randint(1, 8))}
                )
            },
        )
        for _ in range(voters)
    ]
    for start in range(0, voters, 2000):
        ballotbox.cast_counted_forms(target=budget, records=ballots[start : start + 2000])
    return budget


def phase_close(voters: int, projects: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)

    from civitas.ballotbox.services import sealed_records
    from civitas.components.budgets import services
    from civitas.sealing.tallies import compute_tally
    from civitas.testing.factories import OrganizationFactory, UserFactory
    from civitas.voting import budget_rules

    organization = OrganizationFactory(name="Bench", host="bench-close.test")
    admin = UserFactory(organization=organization, is_organization_admin=True)
    budget = _budget_with_ballots(organization, admin, "Ville", voters, projects)

    budget_rules._equal_shares_of.cache_clear()
    started = time.perf_counter()
    services.do_close_vote(component=budget.component, user=admin)
    close_seconds = time.perf_counter() - started
    budget.refresh_from_db()
    budget_rules._equal_shares_of.cache_clear()
    started = time.perf_counter()
    recount = compute_tally(budget.sealing_kind, budget.sealed_definition, sealed_records(budget))
    count_seconds = time.perf_counter() - started
    assert recount == budget.tally and budget.tally["ballots"] == voters
    return {
        "vendor": connection.vendor,
        "voters": voters,
        "projects": projects,
        "close_seconds": round(close_seconds, 2),
        "equal_shares_seconds": round(count_seconds, 2),
        "winners": len(budget.tally["winners"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--voters", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=30)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    args = parser.parse_args()
    if args.phase == "close":
        print(json.dumps(phase_close(args.voters, args.projects)))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for path in VAR.glob("budget_close_bench.sqlite3*"):
        path.unlink()
    targets = [f"sqlite:///{SQLITE}"]
    report: dict = {"runs": []}
    if postgres_bench_database(args.postgres):
        targets.append(args.postgres)
    else:
        report["postgresql_skipped"] = f"{args.postgres} does not answer"
    extra = ("--voters", str(args.voters), "--projects", str(args.projects))
    for url in targets:
        result = run_phase(__file__, "close", url, VAR, *extra)
        report["runs"].append(result)
        print(f"  {result}", flush=True)
    (RESULTS / "budget_close_bench.json").write_text(json.dumps(report, indent=2))
    print(f"\nClosing a budget vote by equal shares: {args.voters} voters × {args.projects} projects")
    print(
        f"{'database':<11} {'closing s (database held)':>26} {'of which equal shares s':>24} {'winners':>8}"
    )
    for row in report["runs"]:
        print(
            f"{row['vendor']:<11} {row['close_seconds']:>26} "
            f"{row['equal_shares_seconds']:>24} {row['winners']:>8}"
        )
    if report.get("postgresql_skipped"):
        print(f"PostgreSQL skipped: {report['postgresql_skipped']}")


if __name__ == "__main__":
    main()
