"""Themes of 1.9 million answers: time, peak memory and recovery of the planted themes.

The four Grand Débat consultations of ``bench/national/text.py`` (two open questions each,
eight in all) are written as published answers files (``bench/national/answers_file.py``):
at 100 %, 237,500 records per consultation, each answering both of its questions, so
1,900,000 answers in all (237,500 per open question). At 10 %, 50 % and 100 % of that,
each file is analysed by ``python -m civitas.themes FILE --seed 2019`` in its own process
(wall time, CPU time and peak RSS from ``wait4``), beside ``python -m civitas.recount FILE``
on the same file (reading, checking and sealing it once: the floor of any tool that reads
the file), and beside a process that only imports the analysis's libraries.

Quality: each answer's theme (``--labels``) against the theme that wrote it
(``answer_with_theme``): adjusted Rand index and purity (share of answers in a found theme
whose planted theme is that theme's commonest) over the answers with a planted theme, and
the share of planted empty answers counted apart as empty.

``python bench/themes_bench.py [--records 237500] [--fractions 0.1,0.5,1] [--seed 2019]``
Files are kept in ``bench/var/themes/`` (written once per size). Report:
``bench/results/themes.json``.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national.answers_file import _ids, write_answers_file  # noqa: E402
from bench.national.text import CONSULTATIONS  # noqa: E402

VAR = ROOT / "bench" / "var" / "themes"
RESULTS = ROOT / "bench" / "results" / "themes.json"
TARGET_SECONDS = 600


def run(*arguments: str) -> dict:
    """Run a child process; its wall time, CPU time and peak RSS (from wait4)."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, *arguments], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(
            f"{' '.join(arguments)} failed:\n{stdout.decode()[-2000:]}\n{stderr.decode()[-4000:]}"
        )
    return {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "stdout": stdout.decode(),
    }


def adjusted_rand_index(truth: list, found: list) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(truth, found))


def purity(truth: list, found: list) -> float:
    by_theme: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for planted, theme in zip(truth, found, strict=True):
        by_theme[theme][planted] += 1
    return sum(counter.most_common(1)[0][1] for counter in by_theme.values()) / len(truth)


def quality(planted: dict[str, list], ids: list[str], labels_path: Path) -> dict:
    position = {record_id: index for index, record_id in enumerate(ids)}
    found: dict[str, dict[int, str]] = collections.defaultdict(dict)
    with open(labels_path, encoding="utf-8") as stream:
        for question, record_id, theme in csv.reader(stream):
            found[question][position[record_id]] = theme
    report = {}
    for question, themes in planted.items():
        truth, guess = [], []
        empty_planted = empty_apart = 0
        for index, theme in enumerate(themes):
            label = found[question].get(index)
            if theme is None:
                empty_planted += 1
                empty_apart += label is None
                continue
            truth.append(theme)
            guess.append(label or "(counted as empty)")
        report[question] = {
            "ari": round(adjusted_rand_index(truth, guess), 4),
            "purity": round(purity(truth, guess), 4),
            "themes_found": len({label for label in guess if not label.startswith("(")}),
            "themes_planted": len(set(truth)),
            "empty_counted_apart": round(empty_apart / empty_planted, 4) if empty_planted else None,
        }
    return report


def measure(fraction: float, records: int, seed: int) -> dict:
    count = round(records * fraction)
    per_file, totals = [], collections.Counter()
    for consultation in CONSULTATIONS:
        path = VAR / f"{consultation.slug}-{count}.jsonl"
        planted_path = path.with_suffix(".planted.json")
        if not path.exists() or not planted_path.exists():
            planted = write_answers_file(path, consultation, count, seed=seed)
            planted_path.write_text(json.dumps(planted))
        planted = json.loads(planted_path.read_text())
        labels_path = VAR / f"{consultation.slug}-{count}.labels.csv"
        themes_json = VAR / f"{consultation.slug}-{count}.themes.json"
        analysis = run(
            "-m", "civitas.themes", str(path), "--seed", str(seed), "--json", str(themes_json),
            "--labels", str(labels_path),
        )  # fmt: skip
        recount = run("-m", "civitas.recount", str(path))
        result = json.loads(themes_json.read_text())
        entry = {
            "consultation": consultation.slug,
            "records": count,
            "answers": sum(len(themes) for themes in planted.values()),
            "analysis": {key: value for key, value in analysis.items() if key != "stdout"},
            "recount": {key: value for key, value in recount.items() if key != "stdout"},
            "k": {key: question["k"] for key, question in result["questions"].items()},
            "quality": quality(planted, _ids(count, seed), labels_path),
        }
        labels_path.unlink()
        per_file.append(entry)
        totals["answers"] += entry["answers"]
        totals["analysis_seconds"] += analysis["seconds"]
        totals["analysis_cpu_seconds"] += analysis["cpu_seconds"]
        totals["recount_seconds"] += recount["seconds"]
        print(
            f"  {consultation.slug}: {entry['answers']} answers, themes {analysis['seconds']} s"
            f" (cpu {analysis['cpu_seconds']} s, {analysis['peak_mb']} MB), recount {recount['seconds']} s,"
            f" k {entry['k']}, ARI {[q['ari'] for q in entry['quality'].values()]}",
            flush=True,
        )
    qualities = [q for entry in per_file for q in entry["quality"].values()]
    return {
        "fraction": fraction,
        "answers": totals["answers"],
        "analysis_seconds": round(totals["analysis_seconds"], 1),
        "analysis_cpu_seconds": round(totals["analysis_cpu_seconds"], 1),
        "recount_seconds": round(totals["recount_seconds"], 1),
        "peak_mb": max(entry["analysis"]["peak_mb"] for entry in per_file),
        "recount_peak_mb": max(entry["recount"]["peak_mb"] for entry in per_file),
        "ari_min": min(q["ari"] for q in qualities),
        "ari_mean": round(sum(q["ari"] for q in qualities) / len(qualities), 4),
        "purity_min": min(q["purity"] for q in qualities),
        "empty_apart_min": min(q["empty_counted_apart"] for q in qualities),
        "files": per_file,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=237_500, help="records per consultation at 100 %%")
    parser.add_argument("--fractions", default="0.1,0.5,1")
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    baseline = run("-c", "import civitas.themes.analysis")
    print(f"importing the analysis alone: {baseline['peak_mb']} MB, {baseline['seconds']} s")
    rows = []
    for fraction in (float(value) for value in args.fractions.split(",")):
        print(f"{fraction:.0%} of {args.records} records per consultation:", flush=True)
        rows.append(measure(fraction, args.records, args.seed))
    load = os.getloadavg()
    print()
    print(
        f"{'share':>6} {'answers':>10} {'themes s':>9} {'cpu s':>8} {'recount s':>10} {'peak MB':>8}"
        f" {'recount MB':>11} {'ARI min':>8} {'ARI mean':>9} {'purity min':>11} {'empty apart':>12}"
    )
    for row in rows:
        print(
            f"{format(row['fraction'], '.0%'):>6} {row['answers']:>10} {row['analysis_seconds']:>9} "
            f"{row['analysis_cpu_seconds']:>8} {row['recount_seconds']:>10} {row['peak_mb']:>8} "
            f"{row['recount_peak_mb']:>11} {row['ari_min']:>8} {row['ari_mean']:>9} {row['purity_min']:>11} "
            f"{row['empty_apart_min']:>12}"
        )
    print(f"import alone: {baseline['peak_mb']} MB; target: every size under {TARGET_SECONDS} s")
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (2 cores)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "records_per_consultation": args.records,
                "seed": args.seed,
                "import_only": {key: value for key, value in baseline.items() if key != "stdout"},
                "rows": rows,
                "target_seconds": TARGET_SECONDS,
                "load_average": [round(value, 2) for value in load],
                "cores": os.cpu_count(),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
