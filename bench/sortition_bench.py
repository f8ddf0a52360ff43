"""Citizen-panel selection: our LEXIMIN (HiGHS, column generation) against `sortition-algorithms`.

The instances of issue 9: a skewed pool of 2,000 volunteers, 4 features of 2, 5, 6 and 3
values, a panel of 150 with quotas ±2 % around population shares; the same on 600 → 45;
and a 20,000-strong pool (our uniform mode and LEXIMIN). The pools come from
`civitas.sortition.synthetic` with a fixed seed, so both libraries see the same instance.

Theirs runs in a separate virtualenv (not a Civitas dependency), each run capped in time:

    python3 -m venv /tmp/sortalg_venv
    /tmp/sortalg_venv/bin/pip install sortition-algorithms gurobipy
    .venv/bin/python bench/sortition_bench.py [--theirs /tmp/sortalg_venv/bin/python] [--cap 900]

Their LEXIMIN needs Gurobi; with the size-limited licence that pip installs it fails on
large models, and the benchmark then runs their maximin (as their own code falls back to
it). Writes bench/results/sortition_bench.json and prints a table.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civitas.sortition.solver import leximin, uniform_sample  # noqa: E402
from civitas.sortition.synthetic import skewed_instance  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def ours(instance, method):
    started = time.monotonic()
    lottery = leximin(instance) if method == "leximin" else uniform_sample(instance)
    seconds = time.monotonic() - started
    probabilities = lottery.volunteer_probabilities()
    return {
        "algorithm": method,
        "seconds": seconds,
        "min_probability": min(probabilities.values()),
        "sum": sum(probabilities.values()),
        "panels": len(lottery.compositions),
        "sorted": sorted(probabilities.values()),
        **{key: value for key, value in lottery.stats.items() if key != "seconds"},
    }


def their_run(python, payload, algorithm, cap):
    """One of their algorithms in its own process, stopped at ``cap`` seconds."""
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [python, str(ROOT / "bench" / "sortition_theirs.py")],
            input=json.dumps({**payload, "algorithms": [algorithm]}),
            capture_output=True,
            text=True,
            timeout=cap,
        )
    except subprocess.TimeoutExpired:
        return {"algorithm": algorithm, "error": f"stopped at the {cap} s cap", "seconds": float(cap)}
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"algorithm": algorithm, "error": last[:300], "seconds": time.monotonic() - started}
    return json.loads(completed.stdout.strip().splitlines()[-1])["attempts"][0]


def theirs(python, instance, cap):
    """Their LEXIMIN; when it fails (Gurobi's size-limited licence) or hits the cap, their maximin."""
    payload = {
        "features": [
            {"name": f.name, "quotas": {v: [q.minimum, q.maximum] for v, q in f.quotas.items()}}
            for f in instance.features
        ],
        "people": [{"id": v.code, "answers": v.answers} for v in instance.volunteers],
        "panel_size": instance.panel_size,
    }
    failed = []
    for algorithm in ("leximin", "maximin"):
        outcome = their_run(python, payload, algorithm, cap)
        if "error" not in outcome:
            return {**outcome, "failed_before": failed}
        failed.append(outcome)
    return {**failed[-1], "failed_before": failed[:-1]}


def sorted_gap(a, b):
    """Largest gap between the two sorted probability vectors (leximin's vector is unique)."""
    if "sorted" not in a or "sorted" not in b:
        return None
    return max(abs(x - y) for x, y in zip(a["sorted"], b["sorted"], strict=True))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--theirs", default="/tmp/sortalg_venv/bin/python")
    parser.add_argument("--cap", type=int, default=900, help="seconds allowed to each of their runs")
    parser.add_argument("--skip-large", action="store_true", help="skip the 20,000 pool")
    parser.add_argument("--ours-only", action="store_true", help="do not run sortition-algorithms")
    arguments = parser.parse_args()
    have_theirs = Path(arguments.theirs).exists() and not arguments.ours_only

    report = []
    cases = [(600, 45), (2000, 150)] + ([] if arguments.skip_large else [(20000, 150)])
    for pool, panel in cases:
        instance = skewed_instance(pool, panel)
        row = {"pool": pool, "panel": panel, "groups": len(instance.groups())}
        row["ours_uniform"] = ours(instance, "uniform")
        print(f"{pool}→{panel}: our uniform mode {row['ours_uniform']['seconds']:.1f} s", flush=True)
        row["ours_leximin"] = ours(instance, "leximin")
        print(f"{pool}→{panel}: our LEXIMIN {row['ours_leximin']['seconds']:.1f} s", flush=True)
        if have_theirs and pool <= 2000:
            row["theirs"] = theirs(arguments.theirs, instance, arguments.cap)
            row["sorted_gap"] = sorted_gap(row["ours_leximin"], row["theirs"])
            print(f"{pool}→{panel}: theirs done", flush=True)
        report.append(row)

    RESULTS.mkdir(parents=True, exist_ok=True)
    slim = [
        {
            key: ({k: v for k, v in value.items() if k != "sorted"} if isinstance(value, dict) else value)
            for key, value in row.items()
        }
        for row in report
    ]
    name = "sortition_bench_ours.json" if arguments.ours_only else "sortition_bench.json"
    (RESULTS / name).write_text(json.dumps(slim, indent=2))

    print()
    print(f"{'instance':<14}{'method':<34}{'seconds':>10}{'min prob':>12}{'sum':>10}")
    for row in report:
        name = f"{row['pool']}→{row['panel']}"
        entries = [("ours LEXIMIN (HiGHS)", row["ours_leximin"]), ("ours uniform mode", row["ours_uniform"])]
        if "theirs" in row:
            theirs_row = row["theirs"]
            label = f"theirs {theirs_row.get('algorithm', '?')}"
            for failed in theirs_row.get("failed_before", []):
                entries.append((f"theirs {failed['algorithm']}", failed))
            entries.append((label, theirs_row))
        for label, entry in entries:
            if "error" in entry and "min_probability" not in entry:
                print(f"{name:<14}{label:<34}{entry['seconds']:>10.1f}  failed: {entry['error'][:90]}")
                continue
            print(
                f"{name:<14}{label:<34}{entry['seconds']:>10.1f}{entry['min_probability']:>12.6f}"
                f"{entry['sum']:>10.3f}"
            )
        if row.get("sorted_gap") is not None:
            print(f"{name:<14}largest gap between the sorted probability vectors: {row['sorted_gap']:.2e}")


if __name__ == "__main__":
    main()
