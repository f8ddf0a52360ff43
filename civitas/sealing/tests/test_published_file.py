"""Published files must prove what they claim (issue 22, items 1-4 and 6), played as the review did.

Each test forges a file the way an outside reviewer did and runs the recount on it.
"""

import io
import json
import os
import tracemalloc
import uuid
from pathlib import Path

import pytest

from civitas import recount as recount_module
from civitas.sealing import canonical_json, compute_tally, file_seal, group_seal, read_published, receipt_hash
from civitas.sealing.canonical import RecordError, make_record
from civitas.sealing.kinds.survey import text_paths
from civitas.sealing.published import iter_published_lines
from civitas.sealing.receipts import new_receipt_code
from civitas.sealing.seal import redaction_marker

DEFINITION = {
    "title": "Place de la mairie",
    "questions": [
        {
            "id": "q1",
            "type": "single",
            "label": "Faut-il une fontaine ?",
            "options": [
                {"id": "o1", "label": "Oui"},
                {"id": "o2", "label": "Non"},
                {"id": "o3", "label": "Autre"},
            ],
        },
        {"id": "q2", "type": "long_text", "label": "Pourquoi ?"},
    ],
}
ABOUT = {"title": "Place de la mairie", "organization": "Commune A", "closed_on": "2026-03-02"}


def _record(choice="o1", text="Parce que", other=None, receipt=None):
    answer = {"choice": choice} if other is None else {"choice": choice, "other": other}
    return make_record(
        record_id=uuid.uuid4(),
        day="2026-03-01",
        channel="online",
        payload={"q1": answer, "q2": text},
        receipt=receipt,
    )


def _arguments(records, *, receipt_mode="reveal", receipts=(), envelopes=(), tally=None):
    records = sorted(records, key=lambda record: record["id"])
    return {
        "kind": "survey",
        "definition": DEFINITION,
        "about": ABOUT,
        "records": records,
        "tally": tally or compute_tally("survey", DEFINITION, records),
        "receipt_mode": receipt_mode,
        "text_paths": text_paths(DEFINITION),
        "receipts": sorted(receipts),
        "envelopes": sorted(envelopes),
    }


def _file(records, **options) -> tuple[str, str]:
    """(the published text, its official seal)."""
    arguments = _arguments(records, **options)
    official = file_seal(**arguments)
    return "".join(iter_published_lines(**arguments)), official


def _run(tmp_path: Path, text: str, *options: str, capsys) -> tuple[int, str]:
    path = tmp_path / "published.jsonl"
    path.write_text(text, encoding="utf-8")
    status = recount_module.main([str(path), *options])
    return status, capsys.readouterr().out


def _edit_header(text: str, change) -> str:
    lines = text.splitlines(keepends=True)
    header = json.loads(lines[0])
    change(header)
    lines[0] = canonical_json(header) + "\n"
    return "".join(lines)


# --- 1. The seal covers the whole file -------------------------------------------------


def _swap_option_labels(header):
    options = header["definition"]["questions"][0]["options"]
    options[0]["label"], options[1]["label"] = options[1]["label"], options[0]["label"]


@pytest.mark.parametrize(
    "change",
    [
        _swap_option_labels,
        lambda header: header["about"].update(title="Place de la gare"),
        lambda header: header["about"].update(closed_on="2026-03-09"),
        lambda header: header.update(receipt_mode="inclusion"),
        lambda header: header.update(text_paths=[]),
    ],
    ids=[
        "labels swapped",
        "about changed",
        "closing day changed",
        "receipt mode changed",
        "text paths dropped",
    ],
)
def test_a_changed_header_fails_the_recount_with_the_official_seal(tmp_path, capsys, change):
    text, official = _file([_record("o1"), _record("o1"), _record("o2")])
    assert _run(tmp_path, text, "--seal", official, capsys=capsys)[0] == 0
    status, out = _run(tmp_path, _edit_header(text, change), "--seal", official, capsys=capsys)
    assert status == 1 and "MISMATCH seal" in out


def test_a_changed_footer_count_or_tally_fails(tmp_path, capsys):
    text, official = _file([_record("o1"), _record("o2")], envelopes=["ab" * 32])
    lines = text.splitlines(keepends=True)
    footer = json.loads(lines[-1])
    footer["envelopes"] = 2
    lines[-1] = canonical_json(footer) + "\n"
    status, out = _run(tmp_path, "".join(lines), capsys=capsys)
    assert status == 1 and "MISMATCH envelopes" in out and "MISMATCH seal" in out


# --- 2. One line, one reading -----------------------------------------------------------


def _duplicate_payload(line: str) -> str:
    """The reviewer's line: a decoy payload first, the real one last (Python keeps the last)."""
    decoy = canonical_json({"q1": {"choice": "o2"}, "q2": "leurre"})
    return line.replace('"payload":', f'"payload":{decoy},"payload":', 1)


def _keys_out_of_order(line: str) -> str:
    record = json.loads(line)
    rest = {key: value for key, value in record.items() if key != "payload"}
    return '{"payload":' + canonical_json(record["payload"]) + "," + canonical_json(rest)[1:] + "\n"


SPOILERS = {
    "duplicate payload key": _duplicate_payload,
    "extra space": lambda line: line.replace(",", ", ", 1),
    "keys out of order": _keys_out_of_order,
    "escaped character": lambda line: line.replace("Parce que", "Parce qu\\u0065", 1),
    "space before colon": lambda line: line.replace('"day"', '"day" ', 1),
}


@pytest.mark.parametrize("spoil", SPOILERS.values(), ids=SPOILERS.keys())
def test_a_line_not_in_canonical_form_is_refused(tmp_path, capsys, spoil):
    text, official = _file([_record("o1"), _record("o1")])
    lines = text.splitlines(keepends=True)
    spoiled = spoil(lines[1])
    assert spoiled != lines[1] and json.loads(spoiled) == json.loads(lines[1])  # the same record to Python
    lines[1] = spoiled
    status, out = _run(tmp_path, "".join(lines), "--seal", official, capsys=capsys)
    assert status == 1 and "MISMATCH bad line: line 2" in out


def test_the_duplicate_key_line_reads_as_the_real_vote_in_python_yet_is_refused(tmp_path, capsys):
    text, official = _file([_record("o1")])
    lines = text.splitlines(keepends=True)
    lines[1] = _duplicate_payload(lines[1])
    assert json.loads(lines[1])["payload"]["q1"]["choice"] == "o1"  # what the old recount saw
    status, out = _run(tmp_path, "".join(lines), "--seal", official, capsys=capsys)
    assert status == 1 and "'payload' appears twice" in out


def test_a_float_or_a_nan_is_refused_not_rounded():
    for spoiled in ('{"a":1.0}', '{"a":NaN}'):
        with pytest.raises(RecordError):
            read_published(io.StringIO(spoiled + "\n"))


# --- 3. Compare with the announced seal -------------------------------------------------


def test_a_forgery_with_recomputed_tally_and_seal_fails_against_the_announced_seal(tmp_path, capsys):
    records = [_record("o1"), _record("o1"), _record("o2")]
    text, official = _file(records)
    forged_records = [
        dict(record, payload={**record["payload"], "q1": {"choice": "o2"}}) for record in records
    ]
    forged, forged_seal = _file(forged_records)
    assert forged_seal != official
    status, out = _run(tmp_path, forged, capsys=capsys)
    assert status == 0  # the forgery agrees with itself: only the announced seal can tell
    status, out = _run(tmp_path, forged, "--seal", official, capsys=capsys)
    assert status == 1 and "not the announced seal" in out and group_seal(official) in out


@pytest.mark.parametrize(
    "typed", [str.upper, group_seal, lambda seal: "-".join(group_seal(seal, 8).split()), lambda s: f"  {s}\n"]
)
def test_the_announced_seal_may_be_typed_grouped_in_any_case(tmp_path, capsys, typed):
    text, official = _file([_record()])
    status, out = _run(tmp_path, text, "--seal", typed(official), capsys=capsys)
    assert status == 0 and "the file has the announced seal" in out and group_seal(official) in out


def test_a_seal_that_is_not_one_is_a_usage_error(tmp_path, capsys):
    text, _official = _file([_record()])
    assert _run(tmp_path, text, "--seal", "1234", capsys=capsys)[0] == 2


# --- 4. Hidden free texts ---------------------------------------------------------------


def _redact(text: str, line_index: int, path: tuple[str, ...]) -> str:
    lines = text.splitlines(keepends=True)
    record = json.loads(lines[line_index])
    holder = record["payload"]
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = redaction_marker(holder[path[-1]])
    lines[line_index] = canonical_json(record) + "\n"
    return "".join(lines)


def test_a_hidden_text_is_gone_from_the_file_and_the_file_still_has_the_official_seal(tmp_path, capsys):
    abuse, other_abuse = "Le maire est un escroc", "Autre : insulte"
    text, official = _file([_record("o1", abuse), _record("o3", "Ok", other=other_abuse), _record("o2")])
    lines = text.splitlines()
    line_of = {json.loads(line)["payload"]["q2"]: index for index, line in enumerate(lines[1:-1], start=1)}
    redacted = _redact(text, line_of[abuse], ("q2",))
    redacted = _redact(redacted, line_of["Ok"], ("q1", "other"))
    assert abuse not in redacted and other_abuse not in redacted
    status, out = _run(tmp_path, redacted, "--seal", official, capsys=capsys)
    assert status == 0, out
    assert "redacted texts: 2" in out


def test_a_text_cannot_be_changed_or_swapped_for_another_hash(tmp_path, capsys):
    text, official = _file([_record("o1", "Oui, vite"), _record("o2", "Non")])
    changed = text.replace("Oui, vite", "Oui, plus tard", 1)
    assert _run(tmp_path, changed, "--seal", official, capsys=capsys)[0] == 1
    wrong_marker = text.replace('"Oui, vite"', canonical_json(redaction_marker("autre chose")), 1)
    assert _run(tmp_path, wrong_marker, "--seal", official, capsys=capsys)[0] == 1


def test_only_free_texts_can_be_redacted_and_the_tally_ignores_their_content(tmp_path, capsys):
    records = [_record("o1", "Oui"), _record("o2", "Non")]
    text, official = _file(records)
    index = next(i for i, line in enumerate(text.splitlines()) if '"choice":"o1"' in line)
    # An option id is not a free text: its marker is sealed as it stands, and the tally changes.
    status, out = _run(tmp_path, _redact(text, index, ("q1", "choice")), "--seal", official, capsys=capsys)
    assert status == 1 and "MISMATCH seal" in out
    redacted = [
        dict(record, payload={**record["payload"], "q2": redaction_marker("x")}) for record in records
    ]
    assert compute_tally("survey", DEFINITION, redacted) == compute_tally("survey", DEFINITION, records)


# --- 6. Receipts that prove inclusion only ----------------------------------------------


def test_an_inclusion_receipt_proves_counting_but_leads_to_no_record(tmp_path, capsys):
    codes = [new_receipt_code() for _ in range(3)]
    # The database keeps receipt hashes on its rows; an inclusion-mode file does not.
    records = [_record(choice) for choice in ("o1", "o2", "o1")]
    text, official = _file(records, receipt_mode="inclusion", receipts=[receipt_hash(code) for code in codes])
    assert receipt_hash(codes[1]) in text
    for line in text.splitlines()[1:4]:
        assert json.loads(line)["receipt"] is None
    status, out = _run(tmp_path, text, "--seal", official, "--receipt", codes[1], capsys=capsys)
    assert status == 0, out
    assert "receipt: counted" in out
    assert not any(record["id"] in out for record in records)
    report = recount_module.recount(read_published(io.StringIO(text)), receipt=codes[1])
    assert report.receipt_counted and report.receipt_found is None
    status, out = _run(tmp_path, text, "--receipt", new_receipt_code(), capsys=capsys)
    assert status == 1 and "no ballot with that receipt" in out


def test_inclusion_mode_refuses_a_receipt_inside_a_record_or_unsorted_receipts(tmp_path, capsys):
    hashes = sorted(receipt_hash(new_receipt_code()) for _ in range(2))
    with pytest.raises(RecordError):
        "".join(iter_published_lines(**_arguments([_record(receipt=hashes[0])], receipt_mode="inclusion")))
    text, official = _file([_record()], receipt_mode="inclusion", receipts=hashes)
    lines = text.splitlines(keepends=True)
    lines[2], lines[3] = lines[3], lines[2]
    status, out = _run(tmp_path, "".join(lines), capsys=capsys)
    assert status == 1 and "ascending" in out
    dropped = "".join(lines[:2] + lines[3:])
    assert _run(tmp_path, dropped, "--seal", official, capsys=capsys)[0] == 1


# --- Envelopes (for encrypted ballots) --------------------------------------------------


def test_envelopes_are_listed_sorted_sealed_and_counted(tmp_path, capsys):
    envelopes = sorted(uuid.uuid4().hex * 2 for _ in range(3))
    records = sorted([_record(), _record("o2"), _record()], key=lambda record: record["id"])
    text, official = _file(records, envelopes=envelopes)
    first = 1 + len(records)  # the header, then the records, then the envelopes
    assert text.splitlines()[first] == canonical_json({"envelope": envelopes[0]})
    assert json.loads(text.splitlines()[-1])["envelopes"] == 3
    status, out = _run(tmp_path, text, "--seal", official, capsys=capsys)
    assert status == 0 and "envelopes: 3" in out
    lines = text.splitlines(keepends=True)
    head, one, two, rest = lines[:first], lines[first], lines[first + 1], lines[first + 2 :]
    for spoiled in (
        head + [two, one] + rest,  # out of order
        head + [one, one, two] + rest,  # twice
        head + [canonical_json({"envelope": "XYZ"}) + "\n", two] + rest,  # not a fingerprint
        head + [two] + rest,  # one dropped
    ):
        assert _run(tmp_path, "".join(spoiled), "--seal", official, capsys=capsys)[0] == 1
    with pytest.raises(RecordError):
        "".join(iter_published_lines(**{**_arguments(records), "envelopes": list(reversed(envelopes))}))


# --- Version 1 files stay readable; large files stream ----------------------------------


def test_a_version_1_file_still_recounts_and_says_what_its_seal_leaves_out(tmp_path, capsys):
    records = sorted([_record(), _record("o2")], key=lambda record: record["id"])
    tally = compute_tally("survey", DEFINITION, records)
    text = "".join(
        iter_published_lines(kind="survey", definition=DEFINITION, records=records, tally=tally, version=1)
    )
    status, out = _run(tmp_path, text, capsys=capsys)
    assert status == 0 and "not the header" in out


def test_sealing_streams_records_in_flat_memory():
    def records(count):
        for index in range(count):
            yield make_record(
                record_id=uuid.UUID(int=index),
                day="2026-03-01",
                channel="online",
                payload={"q1": {"choice": "o1"}, "q2": "texte libre " * 5},
            )

    def measure(count):
        arguments = {**_arguments([]), "records": records(count), "tally": {}}
        tracemalloc.start()
        for _line in iter_published_lines(**arguments):
            pass
        _current, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    def peak(count):
        # tracemalloc counts every thread of the process, and in the full suite a live
        # server thread left by a browser test answered requests meanwhile: measured in a
        # forked child, where the calling thread is the only one.
        reading, writing = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child reports through the pipe
            os.close(reading)
            measure(200)  # first-time allocations (imports, caches) are not the records' memory
            os.write(writing, str(measure(count)).encode())
            os._exit(0)
        os.close(writing)
        with os.fdopen(reading) as pipe:
            value = pipe.read()
        os.waitpid(child, 0)
        return int(value)

    small = peak(2_000)
    assert peak(20_000) < 2 * small + 200_000


def test_a_file_with_more_records_than_encrypted_records_cast_fails():
    """The outside review stuffed records in clear: one record per envelope, or a mismatch."""
    from civitas.recount import recount
    from civitas.sealing.published import iter_published_lines, read_published

    records = [
        {"id": f"00000000-0000-4000-8000-00000000000{n}", "day": "2026-12-06", "channel": "online",
         "receipt": None, "payload": {"q": "o1"}}
        for n in range(3)
    ]  # fmt: skip
    definition = {"questions": []}
    envelopes = [f"{n:064x}" for n in range(1, 3)]
    text = "".join(
        iter_published_lines(
            kind="survey",
            definition=definition,
            about={},
            records=records,
            envelopes=envelopes,
            tally={"answers": 3},
        )
    )
    report = recount(read_published(io.StringIO(text)))
    assert any("3 records for 2 encrypted records" in mismatch for mismatch in report.mismatches)
