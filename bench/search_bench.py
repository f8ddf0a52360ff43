"""Global search latency over 100,000 indexed documents, on SQLite and on PostgreSQL.

Each backend runs in its own process on its own database (SQLite in bench/var/, the
PostgreSQL database named by --postgres-url, skipped if it does not answer). The index
is filled with synthetic French documents (titles and bodies drawn from a Zipf-shaped
vocabulary, 2 organizations, 60 spaces of which 10 % private, 5 % hidden entries)
through the real term extraction, then 600 queries are timed: one, two and three words
of common, medium and rare frequency, half of them filtered by type, as an anonymous
visitor and as a member of private spaces. Timed: the backend's match + facets + ranking
of one page (21 ids, among at most 500 candidates) plus loading those entries, which is
what a search costs beyond the per-hit live check. Reference: fetching one entry by primary key.

    python bench/search_bench.py [--documents 100000] [--queries 600] [--postgres-url URL]

Target: p95 under 100 ms on both backends. Writes bench/results/search_bench.json.
"""

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from loadkit import postgres_bench_database

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "search"
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/civitas_meetings_search_bench"

_COMMON_TEXT = (
    "projet budget participatif quartier ville parc école jardin vélo piste cyclable rue place "
    "arbre marché bibliothèque sport jeunesse culture propreté sécurité éclairage transport bus "
    "logement association citoyen conseil réunion délibération proposition habitant espace vert "
    "piscine stade musée festival compost déchet recyclage énergie solaire eau fontaine banc "
    "trottoir accessibilité handicap senior enfant crèche santé commerce emploi numérique"
)
COMMON = _COMMON_TEXT.split()


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    syllables = ["ba", "ré", "lo", "mi", "tan", "por", "vil", "gé", "char", "son", "ti", "nel", "cou", "dé"]
    words = list(COMMON)
    while len(words) < size:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return words


def _child(args) -> dict:
    """Runs inside the child process, with DATABASE_URL set for one backend."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    from civitas.organizations.models import Organization
    from civitas.search import text
    from civitas.search.backends import Scope, get_backend
    from civitas.search.models import IndexEntry
    from civitas.spaces.models import Space

    rng = random.Random(8)
    words = _vocabulary(rng, 6000)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))  # Zipf
    IndexEntry.objects.all().delete()
    Space.objects.all().delete()
    Organization.objects.filter(host__startswith="search-bench").delete()
    organizations = [
        Organization.objects.create(name=f"Bench {n}", host=f"search-bench-{n}.test") for n in range(2)
    ]
    spaces = [
        Space.objects.create(
            organization=organizations[0 if n < 54 else 1],
            slug=f"space-{n}",
            title=f"Space {n}",
            visibility="private" if n % 10 == 0 else "public",
        )
        for n in range(60)
    ]
    started = time.perf_counter()
    batch = []
    for number in range(args.documents):
        space = spaces[rng.randrange(len(spaces))]
        title = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(4, 9))).capitalize()
        body = " ".join(rng.choices(words, cum_weights=weights, k=rng.randint(20, 120)))
        batch.append(
            IndexEntry(
                organization_id=space.organization_id,
                space=space,
                resource_type=rng.choice(("proposal", "proposal", "comment", "comment", "meeting", "debate")),
                object_id=number + 1,
                title=title,
                excerpt=body[:280],
                url=f"/x/{number}/",
                title_terms=text.index_terms(title),
                body_terms=text.index_terms(body),
                space_private=space.visibility == "private",
                hidden=rng.random() < 0.05,
            )
        )
        if len(batch) == 2000:
            IndexEntry.objects.bulk_create(batch)
            batch = []
    IndexEntry.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_indexentry")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    indexing_seconds = time.perf_counter() - started

    backend = get_backend()
    private_ids = frozenset(space.pk for space in spaces if space.visibility == "private")
    bands = {"common": words[:15], "medium": words[15:60], "rare": words[300:3000]}
    timings, per_kind = [], {}
    for number in range(args.queries):
        band = ("common", "medium", "rare")[number % 3]
        size = 1 + (number // 3) % 3
        query = " ".join(rng.choice(bands[band]) for _ in range(size))
        scope = Scope(
            organization_id=organizations[0].pk,
            member_space_ids=private_ids if number % 2 else frozenset(),
            resource_type="proposal" if number % 4 < 2 else None,
        )
        groups = text.query_groups(query)
        began = time.perf_counter()
        ids = backend.search(groups, scope, limit=21, offset=0)
        list(IndexEntry.objects.in_bulk(ids[:20]).values())
        elapsed = (time.perf_counter() - began) * 1000
        timings.append(elapsed)
        per_kind.setdefault(f"{band}, {size} word(s)", []).append(elapsed)
    reference = []
    some = list(IndexEntry.objects.values_list("pk", flat=True)[:200])
    for pk in some:
        began = time.perf_counter()
        IndexEntry.objects.get(pk=pk)
        reference.append((time.perf_counter() - began) * 1000)
    return {
        "vendor": connection.vendor,
        "documents": args.documents,
        "indexing_seconds": round(indexing_seconds, 1),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(_percentile(timings, 95), 2),
        "p99_ms": round(_percentile(timings, 99), 2),
        "max_ms": round(max(timings), 2),
        "reference_p50_ms": round(statistics.median(reference), 3),
        "p95_by_kind_ms": {
            kind: round(_percentile(values, 95), 2) for kind, values in sorted(per_kind.items())
        },
    }


def _percentile(values, percent):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


def _run_backend(label: str, database_url: str, args) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civitas.settings",
        "CIVITAS_VAR_DIR": str(VAR),
        "DATABASE_URL": database_url,
        "CIVITAS_HUEY_IMMEDIATE": "true",
    }
    env.pop("REDIS_URL", None)
    command = [
        sys.executable,
        __file__,
        "--child",
        "--documents",
        str(args.documents),
        "--queries",
        str(args.queries),
    ]
    print(f"{label}: indexing {args.documents:,} documents…", flush=True)
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args)))
        return 0
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    results = {"sqlite": _run_backend("SQLite", f"sqlite:///{VAR / 'search.sqlite3'}", args)}
    if postgres_bench_database(args.postgres_url):
        results["postgresql"] = _run_backend("PostgreSQL", args.postgres_url, args)
    else:
        print("PostgreSQL does not answer: skipped")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search_bench.json").write_text(json.dumps(results, indent=2))
    headers = ("docs", "index s", "p50 ms", "p95 ms", "p99 ms", "ref ms", "p95/ref")
    print("\n" + f"{'backend':<12}" + "".join(f"{header:>9}" for header in headers))
    for name, row in results.items():
        ratio = row["p95_ms"] / row["reference_p50_ms"] if row["reference_p50_ms"] else 0
        print(
            f"{name:<12}{row['documents']:>9,}{row['indexing_seconds']:>9}{row['p50_ms']:>9}"
            f"{row['p95_ms']:>9}{row['p99_ms']:>9}{row['reference_p50_ms']:>9}{ratio:>9.0f}"
        )
    print("target: p95 < 100 ms")
    for name, row in results.items():
        print(f"{name} p95 by query kind: {row['p95_by_kind_ms']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
