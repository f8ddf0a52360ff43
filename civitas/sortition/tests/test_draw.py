import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from civitas.sortition import draw as draw_module
from civitas.sortition.draw import (
    LotteryFileError,
    SeededStream,
    canonical_bytes,
    document_hash,
    draw,
    integer_weights,
    parse_file,
    selection_probabilities,
)
from civitas.sortition.publish import lottery_document
from civitas.sortition.solver import leximin

from .helpers import meets_quotas, published, two_feature_instance, volunteers

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def instance():
    pool = volunteers(("woman", "young", 2), ("woman", "old", 3), ("man", "young", 4), ("man", "old", 9))
    return two_feature_instance(
        pool, 4, {"woman": (2, 2), "man": (2, 2)}, {"young": (1, 3), "old": (1, 3)}, alternates=3
    )


@pytest.fixture(scope="module")
def document(instance):
    return published(lottery_document(instance, leximin(instance), "Panel de quartier"))


def test_hash_is_the_sha256_of_the_file_bytes(document):
    assert document_hash(document) == hashlib.sha256(canonical_bytes(document)).hexdigest()
    assert parse_file(canonical_bytes(document)) == document


def test_every_panel_of_the_file_meets_the_quotas(instance, document):
    for panel in document["panels"]:
        codes = [c for g, n in zip(document["groups"], panel["counts"], strict=True) for c in g["codes"][:n]]
        assert meets_quotas(instance, codes)


def test_exact_probabilities_add_up_to_the_panel_size(document):
    assert sum(selection_probabilities(document).values()) == 4


def test_same_seed_same_panel_and_the_drawn_panel_meets_quotas(instance, document):
    first = draw(document, "3 1 4 1 5 9")
    again = draw(json.loads(canonical_bytes(document)), "  3 1  4 1 5 9 ")
    assert first == again
    assert meets_quotas(instance, first.panel)
    assert len(first.alternates) == 3
    assert not set(first.alternates) & set(first.panel)


def test_changing_the_seed_changes_the_draw(document):
    results = {tuple(draw(document, str(seed)).panel) for seed in range(20)}
    assert len(results) > 5


def test_draws_follow_the_published_probabilities(document):
    expected = selection_probabilities(document)
    counts = Counter(code for seed in range(3000) for code in draw(document, f"s{seed}").panel)
    for code, probability in expected.items():
        assert counts[code] / 3000 == pytest.approx(float(probability), abs=0.04)


def test_stream_is_uniform_and_rejects_empty_ranges():
    stream = SeededStream("ab" * 32, "seed")
    values = Counter(stream.below(3) for _ in range(3000))
    assert set(values) == {0, 1, 2}
    assert min(values.values()) > 900
    with pytest.raises(ValueError):
        stream.below(0)
    with pytest.raises(ValueError, match="empty"):
        SeededStream("ab", "   ")


def test_integer_weights_add_up_exactly():
    weights = integer_weights([1 / 3, 1 / 3, 1 / 3])
    assert sum(weights) == draw_module.WEIGHT_TOTAL
    assert max(weights) - min(weights) == 1


def test_tampered_files_are_refused(document):
    raw = canonical_bytes(document)
    with pytest.raises(LotteryFileError, match="canonical"):
        parse_file(json.dumps(document, indent=1).encode())
    broken = json.loads(raw)
    broken["panels"][0]["counts"] = [0] * len(broken["groups"])
    broken["panels"][0]["counts"][0] = 4
    with pytest.raises(LotteryFileError):
        parse_file(canonical_bytes(broken))


def test_command_line_verify_reproduces_the_panel_with_the_standard_library_only(document, tmp_path):
    path = tmp_path / "lottery.json"
    path.write_bytes(canonical_bytes(document))
    expected = draw(document, "42 17 8")
    script = (
        "import runpy, sys\n"
        "sys.argv = ['civitas.sortition', 'verify', sys.argv[1], '42 17 8', '--hash', sys.argv[2]]\n"
        "try:\n    runpy.run_module('civitas.sortition', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "heavy = sorted(m for m in ('numpy', 'highspy', 'django') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
        "sys.exit(code)\n"
    )
    output = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script, str(path), document_hash(document)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert "HEAVY []" in output
    for code in expected.panel:
        assert f"  {code}\n" in output
    for rank, code in enumerate(expected.alternates, start=1):
        assert f"  {rank}. {code}\n" in output


def test_command_line_refuses_a_wrong_hash(document, tmp_path):
    path = tmp_path / "lottery.json"
    path.write_bytes(canonical_bytes(document))
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "civitas.sortition", "verify", str(path), "1", "--hash", "0" * 64],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 1
    assert "not the published" in result.stderr


def items_document(count=3):
    from civitas.sortition.draw import build_items_document

    items = [{"id": str(n), "title": f"Proposition {n}"} for n in range(1, 21)]
    return published(build_items_document(title="Propositions du budget", items=items, count=count))


def test_items_draw_is_reproducible_without_repetition():
    from civitas.sortition.draw import draw_items

    document = items_document()
    first = draw_items(document, "12 7 3")
    assert first == draw_items(json.loads(canonical_bytes(document)), "12  7 3")
    assert len(first.chosen) == len(set(first.chosen)) == 3
    assert len({tuple(draw_items(document, str(seed)).chosen) for seed in range(10)}) > 5
    # Every item has the same chance: 3 of 20 over many seeds.
    counts = Counter(item for seed in range(2000) for item in draw_items(document, f"x{seed}").chosen)
    assert set(counts) == {str(n) for n in range(1, 21)}
    assert all(abs(count / 2000 - 3 / 20) < 0.04 for count in counts.values())


def test_items_files_are_checked():
    from civitas.sortition.draw import build_items_document

    with pytest.raises(LotteryFileError, match="cannot draw"):
        build_items_document(title="x", items=[{"id": "1", "title": "a"}], count=2)
    with pytest.raises(LotteryFileError, match="twice"):
        build_items_document(title="x", items=[{"id": "1", "title": "a"}, {"id": "1", "title": "b"}], count=1)


def test_command_line_verifies_an_items_draw(tmp_path):
    from civitas.sortition.draw import draw_items

    document = items_document(count=2)
    path = tmp_path / "proposals.json"
    path.write_bytes(canonical_bytes(document))
    output = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [
            sys.executable,
            "-m",
            "civitas.sortition",
            "verify",
            str(path),
            "5 5 2",
            "--hash",
            document_hash(document),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    chosen = draw_items(document, "5 5 2").chosen
    assert f"  1. {chosen[0]}  Proposition {chosen[0]}\n" in output
    assert f"  2. {chosen[1]}  Proposition {chosen[1]}\n" in output
