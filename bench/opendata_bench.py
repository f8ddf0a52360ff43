"""Open-data export of 10,000 proposals and 100,000 comments: time and peak memory.

Seeds one organization (one public space, one proposals component) with bulk inserts in
a fresh SQLite database in bench/var/opendata (or DATABASE_URL), then builds the archive
with the real exporter and measures wall time, the peak of Python allocations
(tracemalloc) and the growth of the resident set. Beside it, as a reference, the same
rows read into lists in memory (what a non-streaming export would hold at once).

    python bench/opendata_bench.py [--proposals 10000] [--comments 100000]

Writes bench/results/opendata_bench.json.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "bench" / "var" / "opendata"
RESULTS = ROOT / "bench" / "results"


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(proposal_count: int, comment_count: int):
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from civitas.comments.models import Comment
    from civitas.components.models import Component
    from civitas.components.proposals.models import Proposal
    from civitas.organizations.models import Organization
    from civitas.spaces.models import Space

    organization = Organization.objects.create(name="Bench", host="opendata-bench.test")
    now = timezone.now()
    space = Space.objects.create(organization=organization, slug="budget", title="Budget", published_at=now)
    component = Component.objects.create(
        space=space, manifest_name="proposals", name="Idées", published_at=now, settings={}, phase_settings={}
    )
    # Unusable passwords: hashing 200 real ones would dominate the seeding time.
    authors = [
        get_user_model().objects.create(
            organization=organization,
            email=f"p{n}@example.org",
            name=f"P {n}",
            nickname=f"p{n}",
            password="!",
        )
        for n in range(200)
    ]
    body = "<p>" + "Installer des bancs et des arbres dans le parc, avec un accès pour tous. " * 6 + "</p>"
    Proposal.objects.bulk_create(
        [
            Proposal(
                component=component,
                author=authors[n % len(authors)],
                title=f"Proposition numéro {n}",
                body=body,
                published_at=now,
                comment_count=comment_count // proposal_count,
            )
            for n in range(proposal_count)
        ],
        batch_size=2000,
    )
    ids = list(Proposal.objects.values_list("pk", flat=True))
    content_type = ContentType.objects.get_for_model(Proposal)
    batch = []
    for n in range(comment_count):
        batch.append(
            Comment(
                organization=organization,
                component=component,
                content_type=content_type,
                object_id=ids[n % len(ids)],
                author=authors[n % len(authors)],
                body="<p>Je suis d'accord, surtout pour les arbres et l'ombre en été.</p>",
                alignment=("for", "against", "neutral")[n % 3],
            )
        )
        if len(batch) == 5000:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)
    return organization


def run(args) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from civitas.opendata import export
    from civitas.opendata.registry import all_datasets

    began = time.perf_counter()
    organization = seed(args.proposals, args.comments)
    seed_seconds = time.perf_counter() - began

    # Reference: every row of every data set held in memory at once.
    rss_before = _rss_mb()
    tracemalloc.start()
    began = time.perf_counter()
    held = {dataset.name: list(dataset.rows(organization)) for dataset in all_datasets()}
    reference_seconds = time.perf_counter() - began
    _current, reference_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    held_rows = sum(len(rows) for rows in held.values())
    del held

    rss_before = _rss_mb()
    tracemalloc.start()
    began = time.perf_counter()
    name, counts, size = export.build_archive(organization)
    export_seconds = time.perf_counter() - began
    _current, export_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "proposals": counts.get("proposals"),
        "comments": counts.get("comments"),
        "rows": sum(counts.values()),
        "seed_seconds": round(seed_seconds, 1),
        "export_seconds": round(export_seconds, 2),
        "archive_mb": round(size / 1e6, 2),
        "export_peak_python_mb": round(export_peak / 1e6, 2),
        "export_rss_growth_mb": round(_rss_mb() - rss_before, 1),
        "reference_rows_in_memory": held_rows,
        "reference_seconds": round(reference_seconds, 2),
        "reference_peak_python_mb": round(reference_peak / 1e6, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run(args)))
        return 0
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civitas.settings",
        "CIVITAS_VAR_DIR": str(VAR),
        "CIVITAS_MEDIA_ROOT": str(VAR / "media"),
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{VAR / 'opendata.sqlite3'}"),
        "CIVITAS_HUEY_IMMEDIATE": "true",
    }
    env.pop("REDIS_URL", None)
    command = [
        sys.executable,
        __file__,
        "--child",
        "--proposals",
        str(args.proposals),
        "--comments",
        str(args.comments),
    ]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(output.strip().splitlines()[-1])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "opendata_bench.json").write_text(json.dumps(result, indent=2))
    print(f"{'':<34}{'streamed export':>16}{'rows in memory':>16}")
    print(f"{'seconds':<34}{result['export_seconds']:>16}{result['reference_seconds']:>16}")
    peaks = (result["export_peak_python_mb"], result["reference_peak_python_mb"])
    print(f"{'peak Python allocations (MB)':<34}{peaks[0]:>16}{peaks[1]:>16}")
    counts = (result["rows"], result["proposals"], result["comments"])
    print(f"rows exported: {counts[0]:,} ({counts[1]:,} proposals, {counts[2]:,} comments)")
    print(f"archive: {result['archive_mb']} MB; resident set growth: {result['export_rss_growth_mb']} MB")
    ratio = result["reference_peak_python_mb"] / max(result["export_peak_python_mb"], 0.01)
    print(f"memory ratio in-memory / streamed: {ratio:.0f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
