"""How well the spam model spares real people, on held-out data only.

Prints, for the shipped model (or ``--model PATH``), the share of held-out legitimate profiles
and comments reported and blocked, by length of text (< 80, 80–300, 300–1000, ≥ 1000
characters), and the share of held-out real spam still reported, then whether the targets hold
(at most 1 % of legitimate profiles and comments reported, none blocked, at least 90 % of real
spam reported). Writes bench/results/spam_quality.json.

Run: ``python bench/spam_quality.py [--model PATH] [--report 0.70] [--block 0.99]``.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from civitas.spam import model as spam_model  # noqa: E402
from civitas.spam import quality  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=spam_model.DEFAULT_PATH)
    parser.add_argument("--report", type=float, default=spam_model.DEFAULT_REPORT_THRESHOLD)
    parser.add_argument("--block", type=float, default=spam_model.DEFAULT_BLOCK_THRESHOLD)
    args = parser.parse_args()
    try:
        model = spam_model.load(args.model)
    except spam_model.ModelUnavailable as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    heldout = [item for item in spam_model.starter_data() if item.heldout]
    started = time.perf_counter()
    report = quality.quality(model, heldout, report_threshold=args.report, block_threshold=args.block)
    seconds = time.perf_counter() - started
    print(f"model {model.version}: {len(heldout):,} held-out samples scored in {seconds:.2f} s")
    print(quality.format_quality(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    failures = quality.target_failures(report)
    (RESULTS / "spam_quality.json").write_text(
        json.dumps(
            {"model": model.version, **report, "target_failures": failures}, indent=2, ensure_ascii=False
        )
        + "\n"
    )
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
