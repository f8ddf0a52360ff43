"""The benchmarks print only what they measured, and touch only their own databases and files."""

import ast
import importlib.util
import re
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench"
SCRIPTS = sorted(BENCH.glob("*.py"))
# A figure with a unit written into the script itself ("about 41 s", "3.2 MB"): what a
# benchmark prints must come from what it measured. Percentile labels ("p95 ms") have no
# figure of their own; a stated target ("target < 200 MB") is a goal, not a measurement.
WRITTEN_FIGURE = re.compile(r"(?<![\w.])\d[\d,.]*\s*(?:s|ms|µs|MB|GB|KB|seconds?|minutes?|%|×)(?!\w)")


def _loadkit():
    spec = importlib.util.spec_from_file_location("bench_loadkit", BENCH / "loadkit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_loadkit", module)
    spec.loader.exec_module(module)
    return module


def _printed_literals(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
            for part in ast.walk(node):
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    yield part.lineno, part.value


def test_the_benchmarks_are_found():
    assert len(SCRIPTS) > 10


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_no_benchmark_prints_a_figure_it_did_not_measure(script):
    written = [
        f"{script.name}:{line}: {text!r}"
        for line, text in _printed_literals(script)
        if (WRITTEN_FIGURE.search(text) and "target" not in text) or "not measured" in text
    ]
    assert not written, "figures written into the script, not measured:\n" + "\n".join(written)


def test_the_figure_check_catches_a_written_reference():
    assert WRITTEN_FIGURE.search("MieuxVoter's library takes about 41 s on the same ballots")
    assert WRITTEN_FIGURE.search("their tally: 3.5 MB")
    assert not WRITTEN_FIGURE.search("p95 ms")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_databases_are_created_dropped_or_flushed_only_through_the_guard(script):
    if script.name == "loadkit.py":
        return
    text = script.read_text(encoding="utf-8")
    assert not re.search(r"(CREATE|DROP)\s+DATABASE", text), (
        f"{script.name} creates or drops a database itself: use loadkit.postgres_bench_database "
        "or loadkit.fresh_postgres_database, which refuse a database that is not a benchmark's"
    )
    if '"flush"' in text:
        assert "bench_database_name(" in text, f"{script.name} flushes a database without checking its name"


@pytest.mark.parametrize(
    "url",
    [
        "postgres://postgres@127.0.0.1:5432/civitas",
        "postgres://postgres@127.0.0.1:5432/civitas_newcomer",
        "postgres://postgres@127.0.0.1:5432/benchmarks",
        "postgres://postgres@127.0.0.1:5432/postgres",
        "postgres://postgres@127.0.0.1:5432/civitas_bench; DROP",
    ],
)
def test_a_database_that_is_not_a_benchmarks_is_refused_before_connecting(url):
    loadkit = _loadkit()
    # Port 1 answers nothing: a check made after connecting would return False, not refuse.
    unreachable = url.replace(":5432/", ":1/")
    with pytest.raises(loadkit.NotABenchDatabase, match="refusing"):
        loadkit.postgres_bench_database(unreachable)
    with pytest.raises(loadkit.NotABenchDatabase, match="refusing"):
        loadkit.fresh_postgres_database(unreachable)


def test_a_benchmarks_own_database_is_accepted():
    loadkit = _loadkit()
    assert (
        loadkit.bench_database_name("postgres://postgres@127.0.0.1:5432/civitas_mj_bench")
        == "civitas_mj_bench"
    )
    assert loadkit.postgres_bench_database("postgres://postgres@127.0.0.1:1/civitas_mj_bench") is False


def _var_folder(script_text: str) -> str | None:
    match = re.search(r"^VAR = ROOT / (.+)$", script_text, re.MULTILINE)
    return match.group(1).strip() if match else None


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_a_benchmark_that_wipes_its_folder_has_one_of_its_own(script):
    text = script.read_text(encoding="utf-8")
    if "rmtree(VAR)" not in text:
        return
    folder = _var_folder(text)
    assert folder is not None, f"{script.name} wipes VAR without naming it at the top"
    assert folder not in {'"bench" / "var"', '"bench"'}, (
        f"{script.name} wipes the bench/var folder other benchmarks share: give it a subfolder"
    )
