"""The results page reads a bounded number of answers for its written texts, whatever the
consultation's size (issue 21: a rarely used "other" box made it read every answer)."""

import pytest

from civitas.ballotbox.services import cast_counted_forms
from civitas.components.surveys import results, services
from civitas.components.surveys.tests.conftest import add_question

pytestmark = pytest.mark.django_db


def test_written_texts_come_from_at_most_the_scan_limit_of_answers(survey, admin_a, monkeypatch):
    other = add_question(survey, "single", "Votre quartier ?", options=["Centre"], other="Autre")
    text = add_question(survey, "long_text", "Une idée ?")
    centre = other.options.get(label="Centre")
    autre = other.options.get(label="Autre")
    forms = [("paper", {other.key: {"choice": centre.key}, text.key: f"Idée n° {n}"}) for n in range(9)]
    forms.append(("paper", {other.key: {"choice": autre.key, "other": "La gare"}, text.key: "Idée n° 9"}))
    cast_counted_forms(target=survey, records=forms)
    services.do_close(survey=survey, user=admin_a)
    survey.refresh_from_db()

    every = results.build_results(survey)
    shown = {item["definition"]["id"]: item.get("texts", []) for item in every["questions"]}
    assert len(shown[text.key]) == 10 and [t["text"] for t in shown[other.key]] == ["La gare"]

    monkeypatch.setattr(results, "TEXT_SCAN_LIMIT", 4)
    capped = results.build_results(survey)
    shown = {item["definition"]["id"]: item.get("texts", []) for item in capped["questions"]}
    assert len(shown[text.key]) == 4
    # Answers are stored in random order at closing: which four is a fair draw, not the first cast.
    assert {t["text"] for t in shown[text.key]} <= {f"Idée n° {n}" for n in range(10)}


def test_past_the_shown_number_the_page_says_its_texts_are_a_random_sample(
    survey, admin_a, client_a, monkeypatch
):
    """With 237,500 written answers, "500 written answers" read as if there were 500."""
    text = add_question(survey, "long_text", "Une idée ?")
    cast_counted_forms(target=survey, records=[("paper", {text.key: f"Idée n° {n}"}) for n in range(6)])
    services.do_close(survey=survey, user=admin_a)
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    url = f"{survey.component.get_absolute_url()}results/"

    page = client_a.get(url).content.decode()
    assert "6 réponses écrites" in page and "tirées au hasard" not in page

    monkeypatch.setattr(results, "TEXTS_SHOWN", 4)
    page = client_a.get(url).content.decode()
    assert "4 réponses écrites tirées au hasard" in page
    assert page.count("Idée n° ") == 4
