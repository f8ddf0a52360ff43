"""What answering the consultation costs the database (issue 21: at most 8 queries a vote)."""

import pytest
from django.test import Client

from civitas.components.surveys.models import Survey, SurveyParticipation
from civitas.components.surveys.tests.conftest import add_question, make_survey_component
from civitas.testing.factories import UserFactory
from civitas.testing.vote_cost import (
    MOST_QUERIES_PER_VOTE,
    expected_queries,
    one_transaction,
    vote_statements,
)

# Committed for real: a server's transactions, not the savepoints of a test's own.
pytestmark = pytest.mark.django_db(transaction=True)


def _answers(questions):
    where, mark, word = questions
    return {where.key: where.options.first().key, mark.key: str(mark.scale_max), word.key: "ombre"}


def test_an_answer_costs_at_most_eight_queries(org_a, admin_a):
    component = make_survey_component(org_a, admin_a)
    survey = Survey.objects.get(component=component)
    questions = [
        add_question(survey, "single", "Votre quartier", options=["Centre", "Nord", "Sud"]),
        add_question(survey, "scale", "Votre avis"),
        add_question(survey, "short_text", "En un mot"),
    ]
    url = component.get_absolute_url()
    someone = Client(HTTP_HOST=org_a.host)
    someone.force_login(UserFactory(organization=org_a))
    assert someone.post(url, _answers(questions)).status_code == 200  # the vote's key is prepared
    voter = UserFactory(organization=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(voter)
    assert client.get(url).status_code == 200  # the page the voter answers on

    response, queries, control = vote_statements(client, url, _answers(questions))

    assert response.status_code == 200 and response.context["receipt"].code
    assert SurveyParticipation.objects.filter(survey=survey, user=voter).count() == 1
    # Session; account with its organization; component with its survey; the participation,
    # whose insert checks that the consultation is open; the envelope. In the shared cache:
    # the rate limit's counter and the questionnaire's version.
    assert len(queries) == expected_queries(database=5, shared_cache=2), "\n".join(queries)
    assert len(queries) <= MOST_QUERIES_PER_VOTE
    assert control == one_transaction()
