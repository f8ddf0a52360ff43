"""How well a spam model spares real people, on held-out data: the share of legitimate profiles
and comments reported (and blocked) by length of text, and the share of real spam still
reported. Framework-free; printed by ``bench/spam_quality.py`` and ``manage.py spam_eval``, and
checked by the tests against ``TARGETS``.

Legitimate texts are the civic profiles and comments written here (``civic_*`` sources); the
SMS collection is another genre and is shown apart. Real spam is every held-out spam profile
and comment but the SMS: the Decidim files and the spam written here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

LENGTH_BUCKETS = ((0, 80, "< 80"), (80, 300, "80–300"), (300, 1000, "300–1000"), (1000, math.inf, "≥ 1000"))
TARGETS = {
    "legitimate_reported_at_most": 0.01,  # per kind (profiles, comments)
    "legitimate_blocked_at_most": 0.0,  # in every length bucket
    "spam_reported_at_least": 0.90,  # per kind and overall
}
LEGITIMATE_SOURCES = {"profile": "civic_profiles", "comment": "civic_comments"}


def length_bucket(text: str) -> str:
    length = len(text)
    return next(name for low, high, name in LENGTH_BUCKETS if low <= length < high)


def _shares(probabilities: np.ndarray, report: float, block: float) -> dict:
    count = len(probabilities)
    return {
        "count": count,
        "reported": int((probabilities >= report).sum()),
        "blocked": int((probabilities >= block).sum()),
        "reported_share": round(float((probabilities >= report).mean()), 4) if count else 0.0,
        "blocked_share": round(float((probabilities >= block).mean()), 4) if count else 0.0,
    }


def quality(model, heldout: Sequence, *, report_threshold: float, block_threshold: float) -> dict:
    """The figures of ``model`` on held-out labelled items (``model.Labelled``)."""
    probabilities = model.predict([item.sample for item in heldout]) if heldout else np.zeros(0)
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(heldout):
        kind = item.sample.kind
        if not item.spam and item.source == LEGITIMATE_SOURCES[kind]:
            groups.setdefault(f"legitimate {kind}s", []).append(index)
            groups.setdefault(f"legitimate {kind}s {length_bucket(item.sample.text)}", []).append(index)
        elif item.spam and item.source != "sms":
            groups.setdefault(f"spam {kind}s", []).append(index)
            groups.setdefault("spam all", []).append(index)
            groups.setdefault(f"spam {kind}s from {item.source}", []).append(index)
        elif item.source == "sms":
            groups.setdefault(f"sms {'spam' if item.spam else 'legitimate'} (other genre)", []).append(index)
    return {
        "report_threshold": report_threshold,
        "block_threshold": block_threshold,
        "groups": {
            name: _shares(probabilities[indices], report_threshold, block_threshold)
            for name, indices in groups.items()
        },
    }


def target_failures(report: dict) -> list[str]:
    """Each target the report misses, in words; empty when all hold."""
    groups, failures = report["groups"], []
    for kind in ("profiles", "comments"):
        legitimate = groups.get(f"legitimate {kind}")
        if not legitimate or not legitimate["count"]:
            failures.append(f"no held-out legitimate {kind}")
        elif legitimate["reported_share"] > TARGETS["legitimate_reported_at_most"]:
            failures.append(
                f"{legitimate['reported_share']:.1%} of legitimate {kind} reported "
                f"(at most {TARGETS['legitimate_reported_at_most']:.0%})"
            )
        for name, shares in groups.items():
            if (
                name.startswith(f"legitimate {kind}")
                and shares["blocked_share"] > TARGETS["legitimate_blocked_at_most"]
            ):
                failures.append(f"{shares['blocked']} {name} blocked (none may be)")
    for name in ("spam profiles", "spam comments", "spam all"):
        spam = groups.get(name)
        if not spam or not spam["count"]:
            failures.append(f"no held-out {name}")
        elif spam["reported_share"] < TARGETS["spam_reported_at_least"]:
            failures.append(
                f"only {spam['reported_share']:.1%} of {name} reported "
                f"(at least {TARGETS['spam_reported_at_least']:.0%})"
            )
    return failures


def _order(name: str) -> tuple:
    buckets = [bucket for _low, _high, bucket in LENGTH_BUCKETS]
    bucket = next((index for index, label in enumerate(buckets) if name.endswith(f" {label}")), -1)
    family = next(
        index
        for index, prefix in enumerate(("legitimate p", "legitimate c", "spam", "sms"))
        if name.startswith(prefix)
    )
    return (family, bucket, name)


def format_quality(report: dict) -> str:
    """A table for the terminal, then the targets' verdict."""
    lines = [
        f"held-out figures (reported at ≥ {report['report_threshold']:.2f}, "
        f"blocked at ≥ {report['block_threshold']:.2f})",
        f"{'group':<46}{'n':>6}{'reported':>10}{'share':>8}{'blocked':>9}",
    ]
    for name in sorted(report["groups"], key=_order):
        shares = report["groups"][name]
        label = f"  {name}" if any(name.endswith(f" {bucket}") for *_, bucket in LENGTH_BUCKETS) else name
        lines.append(
            f"{label:<46}{shares['count']:>6}{shares['reported']:>10}"
            f"{shares['reported_share']:>8.1%}{shares['blocked']:>9}"
        )
    failures = target_failures(report)
    lines.append(
        "targets (≤ 1 % of legitimate profiles and comments reported, none blocked, ≥ 90 % of real spam "
        f"reported): {'met' if not failures else 'NOT met'}"
    )
    lines += [f"  - {failure}" for failure in failures]
    return "\n".join(lines)
