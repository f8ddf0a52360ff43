"""Closing a budget vote decided by the Method of Equal Shares: how long the database is held.

    python bench/budget_close_bench.py [--voters 5000] [--projects 30] [--postgres URL]

Each database runs in its own process on a fresh schema. Two identical budgets (same
projects, same confirmed orders: ``--voters`` voters choosing 1 to 8 projects each,
popular projects more often) are closed with the ``equal_shares`` winner rule:

    in the transaction   the previous way: the winners computed inside the closing
                         transaction (nothing computed before it);
    before it            :func:`do_close_vote`: the winners computed from the orders
                         first, then the closing transaction finds them.

For each: the seconds the closing transaction holds the database (on SQLite, every other
write of the site waits that long) and the seconds of the whole closing. Both must seal
the same winners. Prints a table and writes bench/results/budget_close_bench.json.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

from loadkit import run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE = VAR / "budget_close_bench.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_budgets_bench"


def _budget_with_orders(organization, admin, title: str, voters: int, projects: int):
    """A component closed to voting, with its rule set to equal shares, and confirmed orders."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from civitas.components.budgets.models import Budget, Order, OrderLine, Project
    from civitas.testing.components import configure_component
    from civitas.testing.participation import published_component, published_space

    component = published_component(published_space(organization, admin, title=title), admin, "budgets")
    configure_component(component, admin, settings={"winner_rule": "equal_shares"}, voting_enabled=False)
    budget = Budget.objects.create(component=component, title=title, total=1_000_000)
    rng = random.Random(2026)  # the same projects and choices in both budgets
    created = [
        Project.objects.create(budget=budget, title=f"p{index:02d}", amount=rng.randint(10, 200) * 1000)
        for index in range(projects)
    ]
    weights = [rng.random() ** 2 for _ in created]
    users = get_user_model().objects.filter(organization=organization).order_by("pk")[:voters]
    now = timezone.now()
    orders = Order.objects.bulk_create(
        [Order(budget=budget, user=user, checked_out_at=now) for user in users], batch_size=2000
    )
    lines = []
    for order in orders:
        chosen = set(rng.choices(created, weights=weights, k=rng.randint(1, 8)))
        lines += [OrderLine(order=order, project=project) for project in chosen]
    OrderLine.objects.bulk_create(lines, batch_size=5000)
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

    from django.contrib.auth import get_user_model

    from civitas.components.budgets import services
    from civitas.testing.factories import OrganizationFactory, UserFactory
    from civitas.voting import budget_rules

    organization = OrganizationFactory(name="Bench", host="bench-close.test")
    admin = UserFactory(organization=organization, is_organization_admin=True)
    get_user_model().objects.bulk_create(
        [
            get_user_model()(organization=organization, email=f"v{index}@bench.test", nickname=f"v{index}")
            for index in range(voters)
        ],
        batch_size=2000,
    )
    before = _budget_with_orders(organization, admin, "Dans la transaction", voters, projects)
    after = _budget_with_orders(organization, admin, "Avant la transaction", voters, projects)

    budget_rules._equal_shares_of.cache_clear()
    started = time.perf_counter()
    services._close_and_seal_all(before.component, admin)  # the winners computed inside
    old_held = old_total = time.perf_counter() - started
    budget_rules._equal_shares_of.cache_clear()
    # What do_close_vote does, timed step by step.
    started = time.perf_counter()
    services._compute_winners_ahead(after.component)
    opened = time.perf_counter()
    services._close_and_seal_all(after.component, admin)
    new_held, new_total = time.perf_counter() - opened, time.perf_counter() - started
    before.refresh_from_db()
    after.refresh_from_db()
    titles = {str(p.pk): p.title for budget in (before, after) for p in budget.projects.all()}
    assert [titles[w] for w in before.tally["winners"]] == [titles[w] for w in after.tally["winners"]]
    return {
        "vendor": connection.vendor,
        "voters": voters,
        "projects": projects,
        "in_transaction_held_seconds": round(old_held, 2),
        "in_transaction_total_seconds": round(old_total, 2),
        "ahead_held_seconds": round(new_held, 2),
        "ahead_total_seconds": round(new_total, 2),
        "winners": len(after.tally["winners"]),
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
    if _postgres_answers(args.postgres):
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
    print(f"{'database':<11} {'winners computed':<22} {'transaction s':>14} {'whole closing s':>16}")
    for row in report["runs"]:
        for label, key in (("in the transaction", "in_transaction"), ("before it", "ahead")):
            print(
                f"{row['vendor']:<11} {label:<22} {row[f'{key}_held_seconds']:>14} "
                f"{row[f'{key}_total_seconds']:>16}"
            )
    if report.get("postgresql_skipped"):
        print(f"PostgreSQL skipped: {report['postgresql_skipped']}")


if __name__ == "__main__":
    main()
