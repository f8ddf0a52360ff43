"""The shipped starter model and the model files, without the database."""

import io
from pathlib import Path

import joblib
import pytest

from civitas.spam import model as spam_model
from civitas.spam.features import Sample


@pytest.fixture(scope="module")
def starter():
    return spam_model.load(spam_model.DEFAULT_PATH)


def test_the_split_is_stable_and_never_shares_a_text():
    data = spam_model.starter_data()
    train = {item.sample.text for item in data if not item.heldout}
    heldout = {item.sample.text for item in data if item.heldout}
    assert train and heldout and not train & heldout
    assert [item.heldout for item in data] == [item.heldout for item in spam_model.starter_data()]
    sources = {item.source for item in data if item.heldout}
    assert {
        "decidim_profiles",
        "civic_profiles",
        "civic_comments",
        "written_spam_profiles",
        "written_spam_comments",
        "sms",
    } <= sources


def test_shipped_figures_are_those_measured_now(starter):
    """The figures saved beside the model are what it does on held-out data (targets: test_quality)."""
    metrics = spam_model.evaluate(starter, [item for item in spam_model.starter_data() if item.heldout])
    assert metrics["roc_auc"] >= 0.95
    assert starter.metrics["groups"] == metrics["groups"]


def test_probabilities_are_ordered_sensibly(starter):
    spam, ham = starter.predict(
        [
            Sample("profile", "Best SEO services in Delhi, call +91 98765 43210, visit https://cheap-seo.in"),
            Sample("profile", "Habitante du quartier, je souhaite plus de pistes cyclables."),
        ]
    )
    assert spam >= 0.9 > 0.3 >= ham


def test_missing_corrupt_and_foreign_files_are_refused(tmp_path):
    with pytest.raises(spam_model.ModelUnavailable, match="no model file"):
        spam_model.load(tmp_path / "missing.joblib")
    corrupt = tmp_path / "corrupt.joblib"
    corrupt.write_bytes(b"\x80\x04not a pickle at all")
    with pytest.raises(spam_model.ModelUnavailable, match="unreadable"):
        spam_model.load(corrupt)
    truncated = tmp_path / "truncated.joblib"
    truncated.write_bytes(spam_model.DEFAULT_PATH.read_bytes()[:5000])
    with pytest.raises(spam_model.ModelUnavailable):
        spam_model.load(truncated)
    foreign = tmp_path / "foreign.joblib"
    joblib.dump({"something": "else"}, foreign)
    with pytest.raises(spam_model.ModelUnavailable, match="not a Civitas spam model"):
        spam_model.load(foreign)


def test_save_writes_the_figures_beside_the_model(tmp_path, starter):
    path = spam_model.save(starter, tmp_path / "copy.joblib")
    assert spam_model.load(path).version == starter.version
    assert '"roc_auc"' in Path(tmp_path / "copy.json").read_text()


def test_cli_scores_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("Buy cheap watches at https://watches.example\nBonjour\n"))
    assert spam_model.main(["score", "--kind", "comment"]) == 0
    lines = capsys.readouterr().out.split()
    assert len(lines) == 2 and all(0 <= float(line) <= 1 for line in lines)
    assert spam_model.main(["score", "--model", "/nonexistent/model.joblib"]) == 2


def test_training_needs_both_classes():
    item = spam_model.Labelled(Sample("profile", "x"), True, "t", False)
    with pytest.raises(ValueError, match="both"):
        spam_model._balanced_weights([item, item])
