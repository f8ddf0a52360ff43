"""The national data set (issue 21): a Grand Débat on one PostgreSQL database.

    .venv/bin/python bench/national/generate.py \\
        --database-url postgres://postgres@127.0.0.1:5432/civitas_national_bench --scale 1.0 --seed 2019

Drops and creates the database (its name must end in ``_bench``), migrates it, then runs
the steps listed in ``steps()`` in order. At scale 1.0: one organization, 500,000 accounts, 50 participatory
processes, 100,000 proposals with 1,000,000 supports and 1,000,000 comments (one proposal
holds 5,000), a petition with 2,000,000 signatures, four open consultations with 1,900,000
encrypted answers (``consultations.py``), and the search index, counters, versions, follows
and reply notifications the real code keeps beside them. ``--scale 0.1`` makes a tenth of
every kind of row. The same ``--seed`` gives the same rows, except what the real services
draw themselves (a petition's ``ref``), what the installation's secret key derives (census
digests) and the timestamps, set back from the moment of the run so that the phases and
the petition are open. Prints the
rows of each kind with time and rows/s, and writes bench/results/national_dataset.json.

Every account's password is ``PASSWORD`` (one hash shared by all: hashing 500,000 would
take days). The organization answers on ``HOST``.

Adding a step
-------------
A step is a function ``step(context) -> None``; add it to ``steps()`` (one line). It reads
and adds to the shared ``Context``:

- ``seed``, ``scale``: the command line's; ``context.scaled(n)`` is n at this scale
  (at least 1), ``context.rng(name)`` a ``random.Random`` of its own for a step, derived
  from the seed and the name so that steps do not shift each other's draws;
- ``now``: the moment the data set is set back from (timestamps are ``now`` minus offsets);
- ``organization``, ``admin``: the organization and its admin (created by ``organization``);
- ``accounts``: ``range`` of the participants' account ids (contiguous), ``verified``:
  ids of the verified ones (census authorization), ``spam_accounts``: ids with spam-like
  profiles, ``blocked``: ids blocked by the admin (set by the ``people`` steps);
- ``spaces``: the 50 ``Space`` objects, in order; ``proposal_components``: the proposals
  component of each; ``spaces`` steps also fill ``phases`` (space id → its phases);
- ``proposals``: ``range`` of the proposal ids, ``big_proposal``: the id of the one
  with 5,000 comments (scaled);
- ``petition``: the petition with 2,000,000 signatures (scaled);
- ``plans``: what one step drew for the next ones (``plans["proposals"]``, a
  ``proposals.ProposalPlan``: each proposal's component, author, publication time,
  supports and comments);
- ``rows``: rows written by kind, ``timings``: seconds by step (the report reads them);
  a step records its rows with ``context.count(kind, n)``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
VAR = BENCH / "var" / "national"
HOST = "grand-debat.localhost"
PASSWORD = "grand-debat-2019"  # noqa: S105 (a benchmark's accounts)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/civitas_national_bench"


@dataclass
class Context:
    seed: int
    scale: float
    now: datetime
    # The participatory processes: scaled with the rest unless given (an empty platform for
    # a comparison keeps the national structure, 50 processes, without their content).
    processes: int | None = None
    organization: object = None
    admin: object = None
    accounts: range = range(0)
    verified: list[int] = field(default_factory=list)
    spam_accounts: list[int] = field(default_factory=list)
    blocked: list[int] = field(default_factory=list)
    spaces: list = field(default_factory=list)
    phases: dict = field(default_factory=dict)
    proposal_components: list = field(default_factory=list)
    proposals: range = range(0)
    big_proposal: int | None = None
    petition: object = None
    plans: dict = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def scaled(self, number: int) -> int:
        return max(1, round(number * self.scale))

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def count(self, kind: str, rows: int) -> None:
        self.rows[kind] = self.rows.get(kind, 0) + rows


def steps() -> list:
    """The steps in order; each is ``step(context)``. Add yours here."""
    from national import bulk, consultations, people, petition, proposals, search, spaces

    return [
        people.organization,
        people.accounts,
        spaces.spaces,
        search.start_bulk_load,
        proposals.proposals,
        proposals.supports,
        proposals.comments,
        search.index_profiles,
        search.finish_bulk_load,
        people.blocks,
        petition.petition,
        consultations.consultations,
        bulk.statistics,
    ]


def _say(line: str) -> None:
    print(line, flush=True)


def run(context: Context, selected=None, *, report=_say) -> Context:
    """Run the steps (all, or ``selected``) on the configured database."""
    for step in selected or steps():
        started = time.perf_counter()
        before = sum(context.rows.values())
        step(context)
        seconds = time.perf_counter() - started
        context.timings[step.__name__] = round(seconds, 2)
        written = sum(context.rows.values()) - before
        report(f"{step.__module__.split('.')[-1]}.{step.__name__}: {written:,} rows in {seconds:.1f} s")
    return context


def _setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))
    from loadkit import django_environment, fresh_postgres_database

    fresh_postgres_database(database_url)
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(django_environment(database_url, VAR))
    os.environ.setdefault("CIVITAS_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


@contextmanager
def bulk_session():
    """The generator's session: foreign keys not checked row by row (the rows are made
    consistent by construction, and the test, which keeps the checks, proves it), and
    memory enough to build the search index's GIN index in one pass."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("RESET maintenance_work_mem")


def _database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--processes", type=int, help="participatory processes whatever the scale (default: 50 × scale)"
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    from loadkit import bench_database_name

    bench_database_name(args.database_url)  # refuses before touching anything
    started = time.perf_counter()
    _setup(args.database_url)
    migrated = time.perf_counter() - started
    _say(f"database created and migrated in {migrated:.1f} s")

    from django.utils import timezone

    context = Context(
        seed=args.seed, scale=args.scale, now=timezone.now().replace(microsecond=0), processes=args.processes
    )
    generating = time.perf_counter()
    with bulk_session():
        run(context)
    seconds = time.perf_counter() - generating
    total = sum(context.rows.values())
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "database": bench_database_name(args.database_url),
        "host": HOST,
        "seconds_to_migrate": round(migrated, 1),
        "seconds_to_generate": round(seconds, 1),
        "rows": context.rows,
        "rows_total": total,
        "rows_per_second": round(total / seconds) if seconds else None,
        "seconds_by_step": context.timings,
        "database_bytes": _database_size(),
        "big_proposal": context.big_proposal,
        "petition": context.petition.pk if context.petition is not None else None,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "national_dataset.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n{'kind':28} {'rows':>12}")
    for kind, rows in context.rows.items():
        print(f"{kind:28} {rows:>12,}")
    print(
        f"{'all':28} {total:>12,}\n{seconds:.1f} s ({report['rows_per_second']:,} rows/s), "
        f"database {report['database_bytes'] / 1e9:.2f} GB"
    )


if __name__ == "__main__":
    main()
