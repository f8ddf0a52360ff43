"""Answering online: validation of every question type, conditions, receipts, who may answer."""

import datetime

import pytest
from django.utils import timezone, translation

from civitas.ballotbox.models import Envelope
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey, SurveyParticipation
from civitas.components.surveys.tests.conftest import add_question
from civitas.sealing.receipts import receipt_hash
from civitas.testing.ballots import opened_record, opened_records
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _post_data(data: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def test_a_participant_answers_and_gets_a_receipt(
    client_a, participant, admin_a, survey_component, questionnaire
):
    client_a.force_login(participant)
    url = survey_component.get_absolute_url()
    page = client_a.get(url)
    assert page.status_code == 200 and questionnaire.single.label in page.content.decode()
    response = client_a.post(url, questionnaire.answer(yes=False))
    # The receipt is in the answer to the vote itself, never stored (not even in the session).
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    receipt_page = response.content.decode()
    answer = opened_record()
    assert answer.fingerprint in receipt_page
    code = receipt_page.split('id="receipt-code">')[1].split("<")[0]
    assert code not in str(dict(client_a.session))
    assert answer.receipt_hash == receipt_hash(code)
    q = questionnaire
    assert answer.payload == {
        q.single.key: {"choice": q.o(q.single, "Non")},
        q.why_not.key: "Trop près des écoles",
        q.multiple.key: {
            "choices": [q.o(q.multiple, "Emploi"), q.o(q.multiple, "Autre")],
            "other": "Les commerces",
        },
        q.matrix.key: {q.r(q.matrix, "Accès"): q.o(q.matrix, "Bon")},
        q.matrix_multi.key: {
            q.r(q.matrix_multi, "Semaine"): [q.o(q.matrix_multi, "Voiture"), q.o(q.matrix_multi, "Bus")]
        },
        q.ranking.key: [q.o(q.ranking, "B"), q.o(q.ranking, "A")],
        q.scale.key: 4,
        q.short.key: "Centre",
    }
    assert answer.channel == "online" and answer.day == timezone.localdate()
    # The receipt address only leads back; the check page can say nothing before closing.
    assert client_a.get(f"{url}receipt/").status_code == 302
    check = client_a.post(f"{url}check/", {"code": code.lower().replace("-", " ")}).content.decode()
    assert "encrypted until the consultation closes" in check or "chiffrées jusqu" in check
    services.do_close(survey=Survey.objects.get(component=survey_component), user=admin_a)
    check = client_a.post(f"{url}check/", {"code": code.lower().replace("-", " ")}).content.decode()
    assert 'id="receipt-result"' in check and "alert-success" in check.split('id="receipt-result"')[1]
    other = client_a.post(f"{url}check/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "alert-error" in other.split('id="receipt-result"')[1]
    # Answering again is refused.
    again = client_a.post(url, questionnaire.answer())
    assert again.status_code == 400 and Answer.objects.count() == 1 and Envelope.objects.count() == 1
    assert 'class="survey-form"' not in client_a.get(url).content.decode()


def test_display_condition_hides_and_ignores_the_dependent_question(participant, survey, questionnaire):
    q = questionnaire
    data = q.answer(yes=True)
    data[q.why_not.key] = "Ignoré car la question est masquée"
    services.do_answer(survey=survey, user=participant, data=_post_data(data))
    assert q.why_not.key not in opened_record().payload


def test_negated_condition_and_mandatory_hidden_question(org_a, survey, questionnaire):
    q = questionnaire
    q.why_not.condition_negated = True  # shown when "Non" is NOT chosen
    q.why_not.mandatory = True
    q.why_not.save()
    person = UserFactory(organization=org_a)
    with pytest.raises(services.SurveyError) as error:
        services.do_answer(survey=survey, user=person, data=_post_data(q.answer(yes=True)))
    assert q.why_not.key in error.value.errors
    services.do_answer(survey=survey, user=person, data=_post_data(q.answer(yes=False)))
    assert q.why_not.key not in opened_record().payload


def _bad_inputs(q):
    return [
        ("mandatory missing", {q.single.key: ""}, q.single, "requires"),
        ("unknown option", {q.single.key: "o999999"}, q.single, "not one of the options"),
        ("option of another question", {q.single.key: q.o(q.multiple, "Emploi")}, q.single, "not one of"),
        (
            "two answers to a single choice",
            {q.single.key: [q.o(q.single, "Oui"), q.o(q.single, "Non")]},
            q.single,
            "only one",
        ),
        (
            "too many choices",
            {
                q.multiple.key: [
                    q.o(q.multiple, "Emploi"),
                    q.o(q.multiple, "Sécurité"),
                    q.o(q.multiple, "Transports"),
                ]
            },
            q.multiple,
            "at most 2",
        ),
        ("other without its text", {f"{q.multiple.key}_other": ""}, q.multiple, "Please say"),
        ("other text too long", {f"{q.multiple.key}_other": "x" * 501}, q.multiple, "too long"),
        (
            "unknown matrix column",
            {f"{q.matrix.key}_{q.r(q.matrix, 'Accès')}": "o999999"},
            q.matrix,
            "not one of",
        ),
        (
            "two answers in a single matrix row",
            {f"{q.matrix.key}_{q.r(q.matrix, 'Bruit')}": [q.o(q.matrix, "Bon"), q.o(q.matrix, "Mauvais")]},
            q.matrix,
            "one answer per row",
        ),
        (
            "unknown matrix-multiple column",
            {f"{q.matrix_multi.key}_{q.r(q.matrix_multi, 'Semaine')}": ["o999999"]},
            q.matrix_multi,
            "not one of",
        ),
        ("rank with a gap", {f"{q.ranking.key}_{q.o(q.ranking, 'B')}": "3"}, q.ranking, "without gaps"),
        ("rank not a number", {f"{q.ranking.key}_{q.o(q.ranking, 'B')}": "un"}, q.ranking, "whole number"),
        ("rank of an unknown option", {f"{q.ranking.key}_o999999": "3"}, q.ranking, "not one of"),
        ("scale out of range", {q.scale.key: "6"}, q.scale, "between 1 and 5"),
        ("scale not a number", {q.scale.key: "beaucoup"}, q.scale, "value on the scale"),
        ("short text too long", {q.short.key: "x" * 31}, q.short, "too long"),
        (
            "long text too long",
            {q.single.key: q.o(q.single, "Non"), q.why_not.key: "x" * 201},
            q.why_not,
            "too long",
        ),
    ]


def test_bad_input_on_every_question_type_gets_a_clear_error_and_stores_nothing(
    settings, client_a, participant, survey_component, questionnaire
):
    settings.LANGUAGE_CODE = "en"
    client_a.force_login(participant)
    url = survey_component.get_absolute_url()
    for name, change, question, message in _bad_inputs(questionnaire):
        data = {**questionnaire.answer(), **change}
        response = client_a.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 400, name
        body = response.content.decode()
        assert f'id="{question.key}-error"' in body, name
        with translation.override("en"), pytest.raises(services.SurveyError) as error:
            services.do_answer(survey=questionnaire.survey, user=participant, data=_post_data(data))
        assert message in error.value.errors[question.key], (name, error.value.errors)
        assert not Envelope.objects.exists() and not SurveyParticipation.objects.exists(), name


def test_answers_only_within_dates_and_phase(participant, survey, questionnaire, admin_a):
    data = _post_data(questionnaire.answer())
    survey.opens_at = timezone.now() + datetime.timedelta(days=1)
    survey.save()
    assert services.check_can_answer(survey, participant)
    survey.opens_at, survey.closes_at = None, timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    with pytest.raises(services.SurveyError):
        services.do_answer(survey=survey, user=participant, data=data)
    survey.closes_at = None
    survey.save()
    configure_component(survey.component, admin_a, answers_enabled=False)
    survey.refresh_from_db()
    with pytest.raises(services.SurveyError):
        services.do_answer(survey=survey, user=participant, data=data)
    assert not Envelope.objects.exists()


def test_visitors_and_other_organizations_cannot_answer(
    client_a, client_b, org_b, survey_component, questionnaire
):
    url = survey_component.get_absolute_url()
    client_a.post(url, questionnaire.answer())
    stranger = UserFactory(organization=org_b)
    client_b.force_login(stranger)
    assert client_b.get(url).status_code == 404
    assert client_b.post(url, questionnaire.answer()).status_code == 404
    assert not Envelope.objects.exists()


def test_census_authorization_is_required_when_set(
    client_a, org_a, admin_a, participant, survey, questionnaire
):
    from civitas.authorizations.handlers import census_digest
    from civitas.authorizations.models import ActionRequirement, CensusEntry

    ActionRequirement.objects.create(component=survey.component, action="answer", handler="census")
    data = _post_data(questionnaire.answer())
    with pytest.raises(services.SurveyError, match="verified participants"):
        services.do_answer(survey=survey, user=participant, data=data)
    CensusEntry.objects.create(
        organization=org_a, digest=census_digest(org_a.pk, "AB-123", datetime.date(1970, 5, 1))
    )
    client_a.force_login(participant)
    response = client_a.post("/authorizations/census/", {"identifier": "ab 123", "birth_date": "1970-05-01"})
    assert response.status_code == 302
    services.do_answer(survey=survey, user=participant, data=data)
    assert len(opened_records()) == 1


def test_empty_questionnaire_sections_only_and_optional_questions(org_a, survey):
    add_question(survey, "section", "Intro")
    add_question(survey, "short_text", "Facultatif")
    person = UserFactory(organization=org_a)
    services.do_answer(survey=survey, user=person, data=_post_data({}))
    assert opened_record().payload == {}


def test_an_edited_questionnaire_is_read_afresh(org_a, survey, questionnaire):
    from civitas.components.surveys.questionnaire import questions_for_answering

    first = questions_for_answering(survey)
    assert questions_for_answering(survey) is first  # cached
    questionnaire.scale.scale_max = 10
    questionnaire.scale.save()
    services.do_answer(
        survey=survey,
        user=UserFactory(organization=org_a),
        data=_post_data({**questionnaire.answer(), questionnaire.scale.key: "9"}),
    )
    assert opened_record().payload[questionnaire.scale.key] == 9
    option = questionnaire.single.options.first()
    option.delete()
    assert len(questions_for_answering(survey)[1].options) == 1


@pytest.mark.security("rate limits")
def test_a_script_hammering_the_questionnaire_is_cut_off(
    client_a, participant, survey_component, questionnaire, settings
):
    settings.CIVITAS_RATE_LIMITS = {"vote": (None, "2/10m")}
    client_a.force_login(participant)
    url = survey_component.get_absolute_url()
    broken = {**questionnaire.answer(yes=False), questionnaire.single.key: "not-an-option"}
    assert client_a.post(url, broken).status_code == 400
    assert client_a.post(url, broken).status_code == 400
    limited = client_a.post(url, questionnaire.answer(yes=False))
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert not Envelope.objects.exists()
    # The page itself still reads.
    assert client_a.get(url).status_code == 200
