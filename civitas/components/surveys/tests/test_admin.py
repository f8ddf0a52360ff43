"""The builder, settings, closing from the back-office, and the streamed exports."""

import csv
import io
import json
import zipfile

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.components.surveys import services
from civitas.components.surveys.models import Question
from civitas.components.surveys.tests.helpers import answer_many

pytestmark = pytest.mark.django_db


def _base(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/surveys/"


def test_builder_creates_every_question_type_with_a_condition(client_a, admin_a, survey_component, survey):
    client_a.force_login(admin_a)
    base = _base(survey_component)
    assert client_a.get(base).status_code == 200
    new = f"{base}questions/new/"
    assert client_a.get(new).status_code == 200
    common = {"scale_min": "1", "scale_max": "5", "description": ""}
    response = client_a.post(
        new,
        {
            **common,
            "type": "single",
            "label": "Pour ou contre ?",
            "options_text": "Pour\nContre",
            "mandatory": "on",
        },
    )
    assert response.status_code == 302
    first = Question.objects.get(label="Pour ou contre ?")
    contre = first.options.get(label="Contre")
    client_a.post(
        new,
        {
            **common,
            "type": "long_text",
            "label": "Pourquoi ?",
            "max_length": "300",
            "condition": f"is:{contre.pk}",
        },
    )
    client_a.post(
        new,
        {
            **common,
            "type": "multiple",
            "label": "Priorités",
            "options_text": "A\nB\nC",
            "other_option": "Autre",
            "max_choices": "2",
        },
    )
    client_a.post(
        new,
        {
            **common,
            "type": "matrix_multiple",
            "label": "Matrice",
            "options_text": "X\nY",
            "rows_text": "L1\nL2",
        },
    )
    client_a.post(new, {**common, "type": "ranking", "label": "Classement", "options_text": "R\nS\nT"})
    client_a.post(new, {**common, "type": "scale", "label": "Note", "scale_min": "0", "scale_max": "10"})
    client_a.post(new, {**common, "type": "section", "label": "Partie 2"})
    assert survey.questions.count() == 7
    why = Question.objects.get(label="Pourquoi ?")
    assert why.condition_option == contre and not why.condition_negated and why.max_length == 300
    multiple = Question.objects.get(label="Priorités")
    assert [(o.label, o.free_text) for o in multiple.options.all()] == [
        ("A", False),
        ("B", False),
        ("C", False),
        ("Autre", True),
    ]
    assert Question.objects.get(label="Matrice").rows.count() == 2
    # Bad builder input: a choice question needs two options, a matrix needs rows.
    bad = client_a.post(new, {**common, "type": "single", "label": "Seul", "options_text": "Unique"})
    assert bad.status_code == 200 and not Question.objects.filter(label="Seul").exists()
    bad = client_a.post(
        new, {**common, "type": "matrix_single", "label": "Sans lignes", "options_text": "X\nY"}
    )
    assert not Question.objects.filter(label="Sans lignes").exists()
    # Moving the conditional question above its condition drops the condition.
    client_a.post(f"{base}questions/{why.pk}/move/", {"direction": "up"})
    why.refresh_from_db()
    assert why.condition_option is None
    assert ActionLogEntry.objects.filter(action="survey.question_save").count() == 7


def test_the_questionnaire_is_locked_once_answers_exist(
    client_a, admin_a, survey_component, survey, questionnaire
):
    answer_many(survey, questionnaire, 1)
    client_a.force_login(admin_a)
    base = _base(survey_component)
    client_a.post(f"{base}questions/{questionnaire.single.pk}/delete/")
    assert Question.objects.filter(pk=questionnaire.single.pk).exists()
    client_a.post(f"{base}questions/{questionnaire.single.pk}/", {"type": "short_text", "label": "Changé"})
    questionnaire.single.refresh_from_db()
    assert questionnaire.single.label != "Changé"


def test_settings_close_and_publish_from_the_back_office(
    client_a, admin_a, participant, survey_component, survey, questionnaire
):
    base = _base(survey_component)
    client_a.force_login(participant)
    assert client_a.get(base).status_code == 403
    client_a.force_login(admin_a)
    response = client_a.post(
        base,
        {
            "introduction": "Bonjour",
            "eligible_count": "4400",
            "authorization": "census",
            "double_entry": "on",
        },
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.eligible_count == 4400 and survey.double_entry
    bad = client_a.post(base, {"opens_at": "2026-05-02T10:00", "closes_at": "2026-05-01T10:00"})
    assert bad.status_code == 200
    survey.refresh_from_db()
    assert survey.opens_at is None
    assert client_a.post(f"{base}publish/", {"published": "1"}).status_code == 302
    survey.refresh_from_db()
    assert survey.results_published_at is None  # not before closing
    client_a.post(f"{base}close/", {"confirm_closing": "1"})
    survey.refresh_from_db()
    assert survey.is_frozen
    assert client_a.get(base).status_code == 200
    asked = client_a.post(f"{base}publish/", {"published": "1"})  # cannot be unseen: asks first
    assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
    survey.refresh_from_db()
    assert survey.results_published_at is None
    client_a.post(f"{base}publish/", {"published": "1", "confirm_act": "1"})
    survey.refresh_from_db()
    assert survey.results_published_at is not None
    assert ActionLogEntry.objects.filter(action="survey.close").exists()


def test_exports_in_csv_json_and_xlsx(client_a, admin_a, survey_component, survey, questionnaire):
    answer_many(survey, questionnaire, 5)
    services.do_close(survey=survey, user=admin_a)
    client_a.force_login(admin_a)
    base = _base(survey_component)
    response = client_a.get(f"{base}export/")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 5 and rows[0]["channel"] == "online"
    assert {row[questionnaire.single.key] for row in rows} == {"Oui", "Non"}
    data = json.loads(b"".join(client_a.get(f"{base}export/?format=json").streaming_content))
    assert len(data) == 5 and data[0][f"{questionnaire.multiple.key}_other"] == "Les commerces"
    xlsx = client_a.get(f"{base}export/?format=xlsx")
    with zipfile.ZipFile(io.BytesIO(b"".join(xlsx.streaming_content))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
        strings = " ".join(
            archive.read(name).decode() for name in archive.namelist() if "sharedStrings" in name
        )
    assert sheet.count("<row ") == 6
    assert "Les commerces" in sheet + strings and ">day<" in sheet + strings
    assert "@" not in sheet + strings  # no e-mail, no account
