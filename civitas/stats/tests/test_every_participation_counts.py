"""Every kind of participation counts, through the one registry, without reading a ballot.

Guards the kind: any concrete model recording that an account took part in a secret vote
(a subclass of ``ballotbox.models.ParticipationRecord``), present or future, must be a
registered source of participants; and people who answered or voted appear in the
figures of the home page and the statistics page.
"""

import pytest
from django.apps import apps

from civitas.ballotbox.models import AnonymousRecord, ParticipationRecord
from civitas.stats.registry import all_participations


def test_every_participation_record_model_is_a_registered_source():
    registered = {action.queryset().model for action in all_participations()}
    records = [
        model
        for model in apps.get_models()
        if issubclass(model, ParticipationRecord) and not model._meta.abstract
    ]
    assert records, "no participation record model found"
    missing = [model._meta.label for model in records if model not in registered]
    assert not missing, f"not counted in statistics: {missing}"
    # Counting never reads what was answered or voted.
    assert not [model for model in registered if issubclass(model, AnonymousRecord)]


@pytest.mark.django_db
def test_people_who_answered_or_voted_are_counted_and_accounts_that_did_nothing_are_not(
    client, org_a, admin_a
):
    from civitas.components.majority_judgment import services as mj
    from civitas.components.majority_judgment.models import Candidate
    from civitas.components.surveys import services as surveys
    from civitas.components.surveys.models import Survey
    from civitas.components.surveys.tests.conftest import Questionnaire, make_survey_component
    from civitas.components.surveys.tests.helpers import post_data
    from civitas.testing.factories import UserFactory
    from civitas.testing.participation import published_component

    survey = Survey.objects.get(component=make_survey_component(org_a, admin_a))
    questionnaire = Questionnaire(survey)
    mj_component = published_component(
        survey.component.space, admin_a, "majority_judgment", voting_enabled=True
    )
    election = mj.election_of(mj_component)
    Candidate.objects.create(election=election, title="Parc", position=0)
    for _ in range(5):
        UserFactory(organization=org_a)  # accounts that never took part
    answering = [UserFactory(organization=org_a) for _ in range(3)]
    voting = [UserFactory(organization=org_a) for _ in range(2)]
    for person in answering:
        surveys.do_answer(survey=survey, user=person, data=post_data(questionnaire.answer()))
    for person in voting:
        mj.do_vote(election=election, user=person, data={})
    page = client.get("/", HTTP_HOST=org_a.host).content.decode()
    assert page.split('data-figure="participants">')[1].split("<")[0] == "5"
    stats = client.get("/stats/", HTTP_HOST=org_a.host).content.decode()
    assert "<strong>5</strong>" in stats
