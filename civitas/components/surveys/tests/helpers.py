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
