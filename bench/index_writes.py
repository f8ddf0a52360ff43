"""What the queue's indexing of one resource costs, on SQLite and on PostgreSQL.

Every save of a proposal, a comment or a profile becomes one task that re-reads the
resource and writes its search entry. Two cases are timed, one resource per call as the
queue does: an edit (the entry exists and is written over) and a new contribution (no
entry yet). Since the entries are stamped with the time their resource was read and only
written over an earlier reading, the write is a conditional UPDATE, and a creation an
INSERT in a savepoint; this measures what that costs against the code before it
(``--code DIR``: a checkout of the older code, e.g. ``git worktree add /tmp/before HASH``).

    PYTHONPATH=. python bench/index_writes.py [--resources 1000] [--postgres-url URL] [--code DIR]

Writes bench/results/index_writes.json.
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from loadkit import fresh_postgres_database, run_phase

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "index_writes"
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/civitas_index_writes_bench"


def _per_resource(keys, index) -> dict:
    times = []
    for key in keys:
        started = time.perf_counter()
        index([key])
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "mean_ms": round(statistics.fmean(times), 3),
        "p95_ms": round(times[int(len(times) * 0.95)], 3),
    }


def phase_run(resources: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from civitas.search import indexing
    from civitas.search.models import IndexEntry
    from civitas.testing.factories import OrganizationFactory, UserFactory
    from civitas.testing.participation import published_component, published_proposal, published_space

    call_command("migrate", verbosity=0)
    organization = OrganizationFactory(host="bench.test")
    admin = UserFactory(organization=organization, is_organization_admin=True)
    author = UserFactory(organization=organization)
    space = published_space(organization, admin)
    component = published_component(space, admin, "proposals", "Idées", creation_enabled=True)
    proposals = [
        published_proposal(author, component, f"Des bancs et des arbres rue {number}", "Un texte " * 30)
        for number in range(resources)
    ]
    keys = [("proposal", proposal.pk) for proposal in proposals]
    indexing.reindex_keys(keys[:50])  # warm the caches and the statements
    edit = _per_resource(keys, indexing.reindex_keys)
    IndexEntry.objects.filter(resource_type="proposal").delete()
    new = _per_resource(keys, indexing.reindex_keys)
    assert IndexEntry.objects.filter(resource_type="proposal").count() == resources
    return {"edit": edit, "new": new}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=1000)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--code", help="run this checkout's civitas instead of this one")
    parser.add_argument("--phase")
    args = parser.parse_args()
    if args.phase == "run":
        print(json.dumps(phase_run(args.resources)))
        return
    if args.code:
        os.environ["PYTHONPATH"] = os.pathsep.join([args.code, str(Path(__file__).parent)])
    label = "before" if args.code else "after"
    results = {}
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    results["sqlite"] = run_phase(
        __file__, "run", f"sqlite:///{VAR / 'db.sqlite3'}", VAR, "--resources", str(args.resources)
    )
    fresh_postgres_database(args.postgres_url)
    results["postgresql"] = run_phase(
        __file__, "run", args.postgres_url, VAR, "--resources", str(args.resources)
    )
    for database, figures in results.items():
        for case, timing in figures.items():
            mean, p95 = timing["mean_ms"], timing["p95_ms"]
            print(f"{label:6} {database:10} {case:4} mean {mean:6.2f} ms  p95 {p95:6.2f} ms")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "index_writes.json"
    recorded = json.loads(out.read_text()) if out.exists() else {}
    recorded[label] = {"resources": args.resources, **results}
    out.write_text(json.dumps(recorded, indent=2) + "\n")
    sys.exit(0)


if __name__ == "__main__":
    main()
