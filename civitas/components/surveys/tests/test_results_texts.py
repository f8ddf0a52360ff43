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


def test_a_sealed_consultations_texts_are_read_once_and_a_hidden_text_leaves_at_once(survey, admin_a):
    """The sample of a sealed consultation is kept (its answers never change), but under the
    texts an admin hid: hiding one must take it off the next page, in every process."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    text = add_question(survey, "long_text", "Une idée ?")
    cast_counted_forms(target=survey, records=[("paper", {text.key: f"Idée n° {n}"}) for n in range(3)])
    services.do_close(survey=survey, user=admin_a)
    survey.refresh_from_db()

    def shown_and_answer_reads():
        with CaptureQueriesContext(connection) as queries:
            built = results.build_results(survey)
        texts = next(item["texts"] for item in built["questions"] if item["definition"]["id"] == text.key)
        reads = [q for q in queries.captured_queries if "surveys_answer" in q["sql"]]
        return texts, len(reads)

    first, reads = shown_and_answer_reads()
    assert (len(first), reads) == (3, 1)
    again, reads = shown_and_answer_reads()
    assert (again, reads) == (first, 0)

    services.do_set_text_hidden(
        survey=survey, user=admin_a, answer_id=first[0]["answer_id"], question_key=text.key, hidden=True
    )
    after, _reads = shown_and_answer_reads()
    assert [t["text"] for t in after] == [t["text"] for t in first[1:]]
