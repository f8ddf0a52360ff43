"""Every encrypted answer of a consultation has one size, whatever was answered.

The size of a stored row sits beside "this account took part": the shortest answer and the
longest one allowed (every text at its maximum length, in accented French, every option
ticked, every "other" filled) must give envelopes of the same size.
"""

import pytest

from civitas.components.surveys import services
from civitas.components.surveys.questionnaire import max_length_of
from civitas.components.surveys.tests.helpers import post_data
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _longest(questionnaire) -> dict:
    q = questionnaire
    data = questionnaire.answer(yes=False)
    data[q.why_not.key] = "é" * max_length_of(q.why_not)
    data[q.short.key] = "è" * max_length_of(q.short)
    data[f"{q.multiple.key}_other"] = "à" * 500
    data[f"{q.matrix_multi.key}_{q.r(q.matrix_multi, 'Week-end')}"] = [
        q.o(q.matrix_multi, "Voiture"),
        q.o(q.matrix_multi, "Bus"),
    ]
    data[f"{q.matrix.key}_{q.r(q.matrix, 'Bruit')}"] = q.o(q.matrix, "Mauvais")
    return data


def test_the_shortest_and_the_longest_answers_give_envelopes_of_one_size(org_a, survey, questionnaire):
    shortest = {questionnaire.single.key: questionnaire.o(questionnaire.single, "Oui")}
    for data in (shortest, questionnaire.answer(), questionnaire.answer(yes=False), _longest(questionnaire)):
        services.do_answer(survey=survey, user=UserFactory(organization=org_a), data=post_data(data))
    sizes = {len(bytes(ciphertext)) for ciphertext in survey.envelopes().values_list("ciphertext", flat=True)}
    assert len(sizes) == 1, sizes
