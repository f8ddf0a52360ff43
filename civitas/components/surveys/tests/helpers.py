from django.http import QueryDict

from civitas.components.surveys import services
from civitas.testing.factories import UserFactory


def post_data(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def answer_many(survey, questionnaire, count: int, *, organization=None) -> list:
    """``count`` accounts answer; returns (user, receipt code) pairs in answering order."""
    organization = organization or survey.component.space.organization
    result = []
    for index in range(count):
        person = UserFactory(organization=organization)
        receipt = services.do_answer(
            survey=survey, user=person, data=post_data(questionnaire.answer(yes=index % 3 != 0))
        )
        result.append((person, receipt.code))
    return result


def closed_survey_with_texts(survey, admin, count: int = 60, seed: int = 1):
    """``survey`` with one written-answer question answered ``count`` times on paper forms
    (French answers from the planted-theme generator of bench/national/text.py), then closed."""
    import random

    from bench.national.text import CONSULTATIONS, answer_with_theme
    from civitas.ballotbox.services import cast_counted_forms
    from civitas.components.surveys.tests.conftest import add_question

    question = CONSULTATIONS[0].questions[0]
    long_text = add_question(survey, "long_text", question.text)
    rng = random.Random(seed)
    forms = [("paper", {long_text.key: answer_with_theme(rng, question)[0]}) for _index in range(count)]
    cast_counted_forms(target=survey, records=forms)
    services.do_close(survey=survey, user=admin)
    survey.refresh_from_db()
    return long_text
