"""Budget-vote checkouts per second with concurrent voters, on SQLite and PostgreSQL.

    python bench/budget_bench.py [--voters 400] [--threads 16] [--postgres URL]

Each database runs in its own process on a fresh schema: one budget of 100,000 € with 30
projects (2,000 to 20,000 €), then ``--threads`` workers vote for ``--voters`` voters. A
vote is what the checkout page does: add 3 to 8 random projects through the services
(those that no longer fit are refused) and confirm (the ballot is encrypted and stored
with "this account voted", the draft deleted). Every voter's vote is sent by two
workers at once (a double click on two servers), so the locks are exercised. Beside it,
the same workers send the same requests writing the same rows with no lock, no rule and
no permission check and no encryption (the floor). Closing (ballots decrypted, written in
random order, tallied, sealed) is timed, then the opened ballots are checked: 0 over
budget, 0 voters counted twice, one ballot per voter. Prints a table
and writes bench/results/budget_bench.json.
"""

import argparse
import contextlib
import json
import os
import random
import sys
import threading
import time
from pathlib import Path

from loadkit import postgres_bench_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var"
RESULTS = ROOT / "bench" / "results"
SQLITE = VAR / "budget_bench.sqlite3"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/civitas_budgets_bench"


def _setup_database():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _make_budget():
    from civitas.components.budgets.models import Budget, Project
    from civitas.components.manifest import registry
    from civitas.components.services import (
        do_add_component,
        do_configure_component,
        do_set_component_published,
    )
    from civitas.organizations.services import do_create_organization
    from civitas.spaces.models import Phase
    from civitas.spaces.services import do_activate_phase, do_create_space, do_set_published

    organization, admin = do_create_organization(
        name="Ville de Banc", host=f"bench-budget-{int(time.time())}.test", admin_email="admin@bench.test"
    )
    space = do_create_space(
        organization=organization, user=admin, kind="process", title="Budget participatif"
    )
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title="Vote", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    manifest = registry.get("budgets")
    component = do_add_component(space=space, user=admin, manifest=manifest, name="Budget")
    do_configure_component(
        component=component,
        user=admin,
        name="Budget",
        settings=manifest.settings.defaults(),
        phase_settings={str(phase.pk): manifest.phase_settings.clean({"voting_enabled": True})},
    )
    do_set_component_published(component=component, user=admin, published=True)
    budget = Budget.objects.create(component=component, title="Ville", total=100_000)
    rng = random.Random(3)
    projects = [
        Project.objects.create(budget=budget, title=f"Projet {i}", amount=rng.randrange(2_000, 20_001, 500))
        for i in range(30)
    ]
    return organization, admin, budget, projects


def _run(threads: int, jobs: list, work) -> tuple[float, int, int]:
    from django.db import connection

    cursor = iter(jobs)
    lock = threading.Lock()
    done, errors = [], []

    def worker():
        try:
            while True:
                with lock:
                    job = next(cursor, None)
                if job is None:
                    return
                try:
                    work(job)
                    done.append(1)
                except Exception as error:  # refused or failed: counted, never stored half
                    errors.append(type(error).__name__)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return time.perf_counter() - started, len(done), len(errors)


def phase_vote(voters: int, threads: int) -> dict:
    _setup_database()
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from civitas.ballotbox import crypto
    from civitas.ballotbox.models import Envelope
    from civitas.components.budgets import services
    from civitas.components.budgets.models import Budget, BudgetBallot, BudgetParticipation, Order, OrderLine

    organization, admin, budget, projects = _make_budget()
    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(
                organization=organization,
                email=f"v{i}@bench.test",
                nickname=f"v{i}",
                name=f"V {i}",
                email_confirmed_at=now,
                accepted_terms_at=now,
            )
            for i in range(2 * voters)
        ]
    )
    rng = random.Random(11)
    choices = [rng.sample(projects, rng.randint(3, 8)) for _ in range(voters)]

    # The floor: the same requests writing the same rows with no lock, no rule and no
    # permission check (one transaction per added project, one for the confirmation), by
    # other accounts. What the vote costs beyond it is the price of never going over budget.
    def bare(index):
        user = users[voters + index]
        for project in choices[index]:
            # Without the lock the twin may have written the same row first: that is no failure.
            with contextlib.suppress(IntegrityError), transaction.atomic():
                order, _created = Order.objects.get_or_create(budget=budget, user=user)
                if not OrderLine.objects.filter(order=order, project=project).exists():
                    OrderLine.objects.create(order=order, project=project)
        # The rows a confirmation writes, with a ballot of random bytes instead of encrypting.
        with contextlib.suppress(IntegrityError), transaction.atomic():
            Order.objects.filter(budget=budget, user=user).delete()
            BudgetParticipation.objects.create(budget=budget, user=user)
            ciphertext = os.urandom(crypto.PAD_BLOCK + 48)  # a sealed box adds 48 bytes
            Envelope.objects.create(
                target=budget.ballot_ref, ciphertext=ciphertext, fingerprint=crypto.fingerprint(ciphertext)
            )

    jobs = [index for index in range(voters) for _twin in range(2)]
    floor_seconds, floor_done, floor_errors = _run(threads, jobs, bare)
    Order.objects.filter(budget=budget).delete()
    BudgetParticipation.objects.filter(budget=budget).delete()
    budget.envelopes().delete()

    def vote(index):
        fresh = Budget.objects.select_related("component__space__organization").get(pk=budget.pk)
        user = users[index]
        for project in choices[index]:
            # Refused when over budget, already chosen by the twin request, or already confirmed.
            with contextlib.suppress(services.BudgetError):
                services.do_add_project(budget=fresh, user=user, project=project)
        services.do_checkout(budget=fresh, user=user)

    # Every vote twice, the twins next to each other so that they race.
    seconds, done, refused = _run(threads, jobs, vote)

    confirmed = BudgetParticipation.objects.filter(budget=budget).count()
    duplicate_orders = (
        BudgetParticipation.objects.values("budget", "user").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    duplicate_lines = (
        OrderLine.objects.values("order", "project").annotate(n=Count("id")).filter(n__gt=1).count()
    )

    started = time.perf_counter()
    services.do_close_vote(component=budget.component, user=admin)
    close_seconds = time.perf_counter() - started
    budget.refresh_from_db()
    costs = {str(project.pk): project.amount for project in projects}
    over_budget = sum(
        1
        for payload in BudgetBallot.objects.filter(budget=budget).values_list("payload", flat=True)
        if sum(costs[pk] for pk in payload["projects"]) > budget.total
    )
    return {
        "vendor": connection.vendor,
        "threads": threads,
        "voters": voters,
        "requests": len(jobs),
        "votes_per_second": round(voters / seconds, 1),
        "requests_per_second": round(len(jobs) / seconds, 1),
        "confirmed": confirmed,
        "twin_requests_refused": refused,
        "bare_votes_per_second": round(voters / floor_seconds, 1),
        "bare_failed": floor_errors,
        "over_budget": over_budget,
        "duplicate_orders": duplicate_orders,
        "duplicate_lines": duplicate_lines,
        "close_seconds": round(close_seconds, 2),
        "ballots_sealed": BudgetBallot.objects.filter(budget=budget).count(),
        "winners": len(budget.tally["winners"]),
    }


def _print_table(report: dict) -> None:
    voters, threads = report["voters"], report["threads"]
    print(f"\nBudget votes: {voters} voters, each vote sent twice at once, {threads} threads")
    print(
        f"{'database':<11} {'votes/s':>8} {'bare votes/s':>13} {'ratio':>6} {'confirmed':>10} "
        f"{'over budget':>12} {'duplicates':>11} {'close s':>8}"
    )
    for row in report["runs"]:
        ratio = row["votes_per_second"] / row["bare_votes_per_second"]
        duplicates = row["duplicate_orders"] + row["duplicate_lines"]
        print(
            f"{row['vendor']:<11} {row['votes_per_second']:>8} {row['bare_votes_per_second']:>13} "
            f"{ratio:>6.2f} {row['confirmed']:>10} {row['over_budget']:>12} {duplicates:>11} "
            f"{row['close_seconds']:>8}"
        )
    if report.get("postgresql_skipped"):
        print(f"PostgreSQL skipped: {report['postgresql_skipped']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase")
    parser.add_argument("--voters", type=int, default=400)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_PG))
    args = parser.parse_args()
    if args.phase == "vote":
        print(json.dumps(phase_vote(args.voters, args.threads)))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for path in VAR.glob("budget_bench.sqlite3*"):
        path.unlink()
    targets = [f"sqlite:///{SQLITE}"]
    report: dict = {"voters": args.voters, "threads": args.threads, "runs": []}
    if postgres_bench_database(args.postgres):
        targets.append(args.postgres)
    else:
        report["postgresql_skipped"] = f"{args.postgres} does not answer"
    for url in targets:
        result = run_phase(
            __file__, "vote", url, VAR, "--voters", str(args.voters), "--threads", str(args.threads)
        )
        report["runs"].append(result)
        print(f"  {result}", flush=True)
    (RESULTS / "budget_bench.json").write_text(json.dumps(report, indent=2))
    _print_table(report)
    if any(row["over_budget"] or row["duplicate_orders"] or row["duplicate_lines"] for row in report["runs"]):
        raise SystemExit("an order went over budget or was duplicated")


if __name__ == "__main__":
    main()
