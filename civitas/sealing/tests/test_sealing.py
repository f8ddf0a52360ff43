"""The framework-free sealing machinery and the recount command, without Django."""

import io
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from civitas import recount as recount_module
from civitas.sealing import (
    RecordError,
    Sealer,
    canonical_json,
    canonical_record,
    compute_tally,
    file_seal,
    known_kinds,
    new_receipt_code,
    normalize_receipt_code,
    read_published,
    receipt_hash,
    write_published,
)
from civitas.sealing.canonical import make_record
from civitas.sealing.tallies import tally

DEFINITION = {
    "questions": [
        {"id": "q1", "type": "single", "options": [{"id": "o1"}, {"id": "o2"}]},
        {"id": "q2", "type": "scale", "min": 1, "max": 3},
        {"id": "q3", "type": "short_text"},
        {"id": "s1", "type": "section"},
    ]
}


def _record(choice="o1", scale=2, channel="online", receipt=None):
    return make_record(
        record_id=uuid.uuid4(),
        day="2026-03-01",
        channel=channel,
        payload={"q1": {"choice": choice}, "q2": scale, "q3": "Pas de prison ici"},
        receipt=receipt,
    )


def _published(records, tally_override=None) -> str:
    records = sorted(records, key=lambda record: record["id"])
    result = tally_override or compute_tally("survey", DEFINITION, records)
    stream = io.StringIO()
    write_published(stream, kind="survey", definition=DEFINITION, records=records, tally=result)
    return stream.getvalue()


def seal(records, result) -> str:
    return file_seal(
        kind="survey", definition=DEFINITION, records=sorted(records, key=lambda r: r["id"]), tally=result
    )


def test_canonical_json_is_independent_of_key_order_and_refuses_floats():
    assert canonical_json({"b": 1, "a": "é"}) == canonical_json({"a": "é", "b": 1}) == '{"a":"é","b":1}'
    with pytest.raises(RecordError):
        canonical_json({"a": 0.1})


@pytest.mark.parametrize(
    "change",
    [
        {"id": "not-a-uuid"},
        {"id": str(uuid.uuid4()).upper()},
        {"day": "2026-03-01T10:12:00"},
        {"channel": "Online!"},
        {"receipt": "abc"},
        {"payload": []},
        {"account": 3},
    ],
)
def test_a_record_of_the_wrong_shape_is_refused(change):
    record = {**_record(), **change}
    with pytest.raises(RecordError):
        canonical_record(record)


def test_seal_depends_on_every_record_and_the_tally_but_not_on_order():
    records = [_record("o1"), _record("o2"), _record("o1", 3)]
    result = compute_tally("survey", DEFINITION, records)
    reference = seal(records, result)
    assert seal(list(reversed(records)), result) == reference
    assert seal(records[:2], result) != reference
    changed = [dict(records[0], payload={**records[0]["payload"], "q2": 1}), *records[1:]]
    assert seal(changed, result) != reference
    assert seal(records, {**result, "answers": 4}) != reference


def test_the_incremental_sealer_needs_ascending_unique_ids():
    first, second = sorted([_record(), _record()], key=lambda record: record["id"])
    sealer = Sealer({"kind": "survey"})
    sealer.add(second)
    with pytest.raises(RecordError, match="ascending"):
        sealer.add(first)
    sealer = Sealer({"kind": "survey"})
    sealer.add(first)
    with pytest.raises(RecordError, match="twice"):
        sealer.add(first)


def test_survey_tally_counts_options_scales_and_channels():
    records = [_record("o1", 1), _record("o2", 3, "paper"), _record("o1", 3, "post")]
    result = compute_tally("survey", DEFINITION, records)
    assert result["answers"] == 3
    assert result["by_channel"] == {"online": 1, "paper": 1, "post": 1}
    assert result["questions"]["q1"]["options"] == {"o1": 2, "o2": 1}
    assert result["questions"]["q1"]["options_by_channel"]["paper"] == {"o2": 1}
    assert result["questions"]["q2"]["values"] == {"1": 1, "2": 0, "3": 2}
    assert result["questions"]["q2"]["sum"] == 7
    assert result["questions"]["q3"]["answered"] == 3
    assert "s1" not in result["questions"]
    assert "survey" in known_kinds()


def test_tally_registry_refuses_a_second_function_for_a_kind_and_unknown_kinds():
    with pytest.raises(ValueError):
        tally("survey")(lambda definition, records: {})
    with pytest.raises(KeyError):
        compute_tally("no-such-kind", {}, [])


def test_receipt_codes_are_random_normalized_and_hashed():
    code = new_receipt_code()
    assert len(code) == 19 and code.count("-") == 3
    assert code != new_receipt_code()
    assert receipt_hash(code.lower().replace("-", " ")) == receipt_hash(code)
    assert normalize_receipt_code("o0il-uuuu-aaaa-bbbb") == "0011-VVVV-AAAA-BBBB"
    assert len(receipt_hash(code)) == 64 and code not in receipt_hash(code)
    with pytest.raises(ValueError):
        receipt_hash("ABCD")


def test_recount_agrees_with_the_seal_and_finds_a_receipt():
    code = new_receipt_code()
    records = [_record(), _record("o2", receipt=receipt_hash(code)), _record(channel="paper")]
    report = recount_module.recount(read_published(io.StringIO(_published(records))), receipt=code)
    assert report.ok, report.mismatches
    assert report.records == 3
    assert report.receipt_found is not None
    assert report.seal == seal(records, compute_tally("survey", DEFINITION, records))
    other = recount_module.recount(
        read_published(io.StringIO(_published(records))), receipt=new_receipt_code()
    )
    assert not other.ok and other.receipt_found is None


def _tamper(text: str, line_index: int, change) -> str:
    lines = text.splitlines()
    value = json.loads(lines[line_index])
    change(value)
    lines[line_index] = canonical_json(value)
    return "\n".join(lines) + "\n"


def test_recount_detects_a_changed_answer():
    text = _published([_record("o1"), _record("o1"), _record("o2")])

    def flip(record):
        record["payload"]["q1"]["choice"] = "o2" if record["payload"]["q1"]["choice"] == "o1" else "o1"

    report = recount_module.recount(read_published(io.StringIO(_tamper(text, 1, flip))))
    assert not report.ok
    assert any(m.startswith("tally.questions.q1.options.o1") for m in report.mismatches)
    assert any(m.startswith("seal:") for m in report.mismatches)


def test_recount_detects_a_changed_tally_even_with_a_consistent_seal():
    records = sorted([_record("o1"), _record("o2")], key=lambda record: record["id"])
    result = compute_tally("survey", DEFINITION, records)
    forged = json.loads(json.dumps(result))
    forged["questions"]["q1"]["options"]["o1"] = 5
    report = recount_module.recount(read_published(io.StringIO(_published(records, forged))))
    assert report.mismatches == ["tally.questions.q1.options.o1: the file says 5, the recount gives 1"]


def test_recount_detects_removed_added_and_duplicated_records():
    text = _published([_record(), _record(), _record()])
    lines = text.splitlines(keepends=True)
    removed = "".join(lines[:2] + lines[3:])
    report = recount_module.recount(read_published(io.StringIO(removed)))
    assert any(m.startswith("count:") for m in report.mismatches)
    assert any(m.startswith("seal:") for m in report.mismatches)
    duplicated = "".join(lines[:2] + lines[1:])
    report = recount_module.recount(read_published(io.StringIO(duplicated)))
    assert report.mismatches and "twice" in report.mismatches[0]


def test_recount_command_line(tmp_path: Path):
    code = new_receipt_code()
    path = tmp_path / "results.jsonl"
    path.write_text(_published([_record(receipt=receipt_hash(code)), _record()]), encoding="utf-8")
    root = Path(recount_module.__file__).resolve().parent.parent
    # -S -E -s: no site-packages at all: the recount needs nothing but Python.
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-S", "-E", "-s", "-m", "civitas.recount", str(path), "--receipt", code],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK" in run.stdout and "receipt: found" in run.stdout
    path.write_text(path.read_text().replace('"choice":"o1"', '"choice":"o2"', 1), encoding="utf-8")
    run = subprocess.run(  # noqa: S603
        [sys.executable, "-S", "-E", "-s", "-m", "civitas.recount", str(path)],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert run.returncode == 1 and "MISMATCH" in run.stdout
    path.write_text("hello\n", encoding="utf-8")
    assert recount_module.main([str(path)]) == 2
