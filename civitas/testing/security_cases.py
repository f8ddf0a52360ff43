"""Counts the security cases the suite tries, and prints them with the failures at the end.

A test marked ``security`` counts as one case unless it reports more through the
``security_cases`` fixture (a test that posts to every route without a CSRF token tries
one case per route). Under pytest-xdist each worker writes its counts to a file and the
controller adds them up, so the figure is the same with or without ``-n``.
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest

COUNTS_DIR = Path(os.environ.get("CIVITAS_SECURITY_COUNTS_DIR", "test-artifacts/security-cases"))
_counts: Counter = Counter()
_failed: list[str] = []


class Recorder:
    def __init__(self, category: str):
        self.category = category
        self.tried = 0

    def add(self, count: int = 1, category: str | None = None) -> None:
        self.tried += count
        _counts[category or self.category] += count


def _category(item) -> str:
    marker = item.get_closest_marker("security")
    return marker.args[0] if marker and marker.args else item.module.__name__.rsplit(".", 1)[-1]


@pytest.fixture
def security_cases(request):
    recorder = Recorder(_category(request.node))
    yield recorder
    if recorder.tried == 0:
        _counts[recorder.category] += 1


def pytest_configure(config):
    config.addinivalue_line("markers", "security(category): a security case, counted in the summary")
    if not hasattr(config, "workerinput") and COUNTS_DIR.exists():
        for stale in COUNTS_DIR.glob("*.json"):
            stale.unlink()


def pytest_runtest_setup(item):
    # A security test that does not ask for the recorder still counts as one case.
    if item.get_closest_marker("security") and "security_cases" not in item.fixturenames:
        _counts[_category(item)] += 1


def pytest_runtest_logreport(report):
    if report.failed and "security" in report.keywords:
        _failed.append(report.nodeid)


def pytest_sessionfinish(session):
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    if _counts or _failed:
        COUNTS_DIR.mkdir(parents=True, exist_ok=True)
        (COUNTS_DIR / f"{worker}.json").write_text(json.dumps({"counts": _counts, "failed": _failed}))


def pytest_terminal_summary(terminalreporter, config):
    if hasattr(config, "workerinput") or not COUNTS_DIR.exists():
        return
    total: Counter = Counter()
    failed: set[str] = set()
    for path in COUNTS_DIR.glob("*.json"):
        data = json.loads(path.read_text())
        total.update(data["counts"])
        failed.update(data["failed"])
    if not total:
        return
    terminalreporter.section("security cases")
    for category, count in sorted(total.items()):
        terminalreporter.write_line(f"{count:7d}  {category}")
    terminalreporter.write_line(
        f"{sum(total.values()):7d}  security cases tried, {len(failed)} failed"
        + ("".join(f"\n         {nodeid}" for nodeid in sorted(failed)))
    )
