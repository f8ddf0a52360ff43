"""The theme analysis on generated answers whose themes are known (bench/national/text.py)."""

import collections
import io
import json

import pytest
from sklearn.metrics import adjusted_rand_score

from bench.national.answers_file import _ids, write_answers_file
from bench.national.text import CONSULTATIONS
from civitas.themes import __main__ as cli
from civitas.themes import analyse, named
from civitas.themes.french import Tokeniser, fold

RECORDS = 1500


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The ecology consultation (six planted themes per question), 1,500 answers each."""
    path = tmp_path_factory.mktemp("themes") / "answers.jsonl"
    planted = write_answers_file(path, CONSULTATIONS[0], RECORDS, seed=7)
    return path, planted


def _analyse(path, seed, edits=(), labels=None):
    with open(path, encoding="utf-8") as stream:
        return analyse(stream, seed=seed, edits=edits, labels_to=labels)


def _labels(path, seed, edits=()) -> dict[str, dict[str, str]]:
    sink = io.StringIO()
    _analyse(path, seed, edits, labels=sink)
    found = collections.defaultdict(dict)
    for line in sink.getvalue().splitlines():
        question, record_id, theme = line.split(",")
        found[question][record_id] = theme
    return found


def test_the_same_file_and_seed_give_the_same_themes(generated):
    path, _planted = generated
    first, second = _analyse(path, 11), _analyse(path, 11)
    assert first == second
    assert json.loads(json.dumps(first)) == first  # JSON values only


def test_a_different_seed_draws_other_quotes_but_finds_the_same_themes(generated):
    """As the package documents: the seed fixes the sample, k-means' start and the quotes;
    on well-separated themes another seed finds the same partition up to a few answers."""
    path, _planted = generated
    one, other = _analyse(path, 11), _analyse(path, 12)
    quotes = lambda result: [q["id"] for t in result["questions"]["q1"]["themes"] for q in t["quotes"]]  # noqa: E731
    assert quotes(one) != quotes(other)
    labels_one, labels_other = _labels(path, 11), _labels(path, 12)
    ids = sorted(labels_one["q1"])
    agreement = adjusted_rand_score([labels_one["q1"][i] for i in ids], [labels_other["q1"][i] for i in ids])
    assert agreement > 0.85


def test_planted_themes_are_recovered_and_empty_answers_counted_apart(generated):
    path, planted = generated
    result = _analyse(path, 3)
    found = _labels(path, 3)
    ids = _ids(RECORDS, 7)
    for question in ("q1", "q2"):
        summary = result["questions"][question]
        # Six planted themes; on 1,500 answers the silhouette may prefer a neighbour of 6.
        assert abs(summary["k"] - 6) <= 1 and summary["k"] == len(summary["themes"])
        empty = [record_id for record_id, theme in zip(ids, planted[question], strict=True) if theme is None]
        assert summary["empty"] == len(empty) > 0
        assert not set(empty) & set(found[question])
        assert summary["answered"] == RECORDS == summary["empty"] + summary["in_themes"]
        pairs = [
            (theme, found[question][record_id])
            for record_id, theme in zip(ids, planted[question], strict=True)
            if theme is not None
        ]
        assert adjusted_rand_score(*zip(*pairs, strict=True)) > 0.8
        assert sum(theme["count"] for theme in summary["themes"]) == summary["in_themes"]
        for theme in summary["themes"]:
            assert len(theme["words"]) == 10 and len(theme["quotes"]) == 3
            for quote in theme["quotes"]:
                assert found[question][quote["id"]] == theme["id"]  # a real answer of that theme


def test_merge_split_and_names_are_replayed_from_the_edit_log(generated):
    path, _planted = generated
    edits = [
        {"kind": "merge", "question": "q1", "themes": ["1", "2"]},
        {"kind": "split", "question": "q1", "theme": "1+2"},
        {"kind": "name", "question": "q1", "theme": "3", "name": "Rénovation"},
        {"kind": "merge", "question": "q2", "themes": ["1", "9"]},
    ]
    base = _analyse(path, 5)
    result = named(_analyse(path, 5, edits), edits)
    q1 = {theme["id"]: theme for theme in result["questions"]["q1"]["themes"]}
    before = {theme["id"]: theme for theme in base["questions"]["q1"]["themes"]}
    assert set(q1) == (set(before) - {"1", "2"}) | {"1+2.1", "1+2.2"}
    assert q1["1+2.1"]["count"] + q1["1+2.2"]["count"] == before["1"]["count"] + before["2"]["count"]
    assert q1["1+2.1"]["split_from"] == "1+2"
    assert q1["3"]["name"] == "Rénovation" and q1["3"]["count"] == before["3"]["count"]
    # A merge naming a theme that does not exist changes nothing and says so.
    assert [r["edit"] for r in result["questions"]["q2"]["refused_edits"]] == [edits[3]]
    assert [t["id"] for t in result["questions"]["q2"]["themes"]] == [
        t["id"] for t in base["questions"]["q2"]["themes"]
    ]


def test_the_command_line_prints_and_writes_what_the_library_computes(generated, tmp_path, capsys):
    path, _planted = generated
    edits_file = tmp_path / "themes.json"
    edits = [{"kind": "name", "question": "q2", "theme": "1", "name": "Premier thème"}]
    edits_file.write_text(json.dumps({"edits": edits}))
    out = tmp_path / "out.json"
    assert cli.main([str(path), "--seed", "9", "--edits", str(edits_file), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert json.loads(out.read_text()) == named(_analyse(path, 9, edits), edits)
    assert "«Premier thème»" in printed and "seed 9" in printed and "empty or meaningless" in printed


def test_the_command_line_refuses_what_is_not_a_published_file(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"not": "a header"}\n')
    assert cli.main([str(bad), "--seed", "1"]) == 2
    assert "UNREADABLE" in capsys.readouterr().out


def test_tokens_fold_accents_drop_stop_words_and_non_answers():
    tokeniser = Tokeniser()
    assert tokeniser.features("Je ne sais pas.") == []
    assert tokeniser.features("RAS") == []
    assert tokeniser.features("Il faut développer les transports en commun !") == [
        "developp",
        "transport",
        "commun",
    ]
    assert tokeniser.features("L'électricité") == tokeniser.features("l'Electricite") == ["electricit"]
    assert fold("Élevage intensif à Noël") == "elevage intensif a noel"
    assert tokeniser.display_words()["transport"] == "transports"
