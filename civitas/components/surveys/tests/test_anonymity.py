"""Nothing links an answer to an account: no column, no ordering, no join.

Checked on a database holding many answers: the answer table's columns, the
default order, the physical order (SQLite's rowid, PostgreSQL's ctid) and, on
PostgreSQL, the inserting transaction id (xmin) after the reshuffle that closing
and the periodic task perform.
"""

import threading

import pytest
from django.db import connection

from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, SurveyParticipation
from civitas.components.surveys.tests.helpers import answer_many, post_data
from civitas.sealing.receipts import receipt_hash
from civitas.testing.factories import UserFactory

MANY = 240


def _spearman(first: list, second: list) -> float:
    """Rank correlation of two orderings of the same items (1: same order, 0: unrelated)."""
    rank = {item: index for index, item in enumerate(second)}
    n = len(first)
    d2 = sum((index - rank[item]) ** 2 for index, item in enumerate(first))
    return 1 - 6 * d2 / (n * (n * n - 1))


def _physical_order() -> list:
    table = connection.ops.quote_name(Answer._meta.db_table)
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


@pytest.mark.django_db
def test_no_column_of_an_answer_can_identify_its_author(survey, questionnaire):
    answer_many(survey, questionnaire, 30)
    fields = {field.name: field for field in Answer._meta.concrete_fields}
    assert set(fields) == {"id", "survey", "day", "channel", "receipt_hash", "payload"}
    user_model = SurveyParticipation._meta.get_field("user").related_model
    assert not any(getattr(field, "related_model", None) is user_model for field in fields.values())
    assert Answer._meta.get_field("day").get_internal_type() == "DateField"  # no time of day
    assert Answer._meta.pk.get_internal_type() == "UUIDField"
    assert SurveyParticipation._meta.pk.get_internal_type() == "UUIDField"
    assert {field.name for field in SurveyParticipation._meta.concrete_fields} == {"id", "user", "survey"}
    # No join: participations and answers share only the survey.
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
    assert sorted(columns) == sorted(["id", "survey_id", "day", "channel", "receipt_hash", "payload"])


@pytest.mark.django_db
def test_orderings_do_not_follow_the_order_of_answering(survey, questionnaire):
    people = answer_many(survey, questionnaire, MANY)
    # While open, only ciphertexts are stored: no answer row exists to be put in order.
    assert not Answer.objects.exists()
    services.do_close(survey=survey, user=people[0][0])
    # The true order of arrival, known here only because the test kept each receipt code.
    by_receipt = dict(Answer.objects.values_list("receipt_hash", "pk"))
    arrival = [str(by_receipt[receipt_hash(code)]).replace("-", "") for _person, code in people]
    arrival_rank = {answer: index for index, answer in enumerate(arrival)}

    def correlation(order: list) -> float:
        return _spearman(order, sorted(order, key=arrival_rank.get))

    assert sorted(_physical_order()) == sorted(arrival)
    assert abs(correlation(_physical_order())) < 0.25
    default = [str(pk).replace("-", "") for pk in Answer.objects.values_list("pk", flat=True)]
    assert default == sorted(default)  # the default order is the random id
    assert abs(correlation(default)) < 0.25
    participations = list(SurveyParticipation.objects.values_list("pk", flat=True))
    assert len(participations) == MANY


@pytest.mark.django_db
def test_postgresql_transaction_ids_are_shared_after_closing(survey, questionnaire):
    if connection.vendor != "postgresql":
        pytest.skip("xmin exists on PostgreSQL only")
    people = answer_many(survey, questionnaire, 20)
    table = connection.ops.quote_name(Answer._meta.db_table)
    services.do_close(survey=survey, user=people[0][0])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {table}")  # noqa: S608
        assert len(cursor.fetchall()) == 1


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_submissions_from_one_account_store_exactly_one(survey_component, questionnaire):
    from civitas.components.surveys.models import Survey

    survey = Survey.objects.get(component=survey_component)
    person = UserFactory(organization=survey_component.space.organization)
    data = post_data(questionnaire.answer())
    barrier = threading.Barrier(50)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.do_answer(survey=Survey.objects.get(pk=survey.pk), user=person, data=data)
            outcomes.append("ok")
        except services.SurveyError:
            outcomes.append("refused")
        except Exception as error:  # a busy database also counts as refused: nothing stored
            outcomes.append(f"error: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert survey.envelopes().count() == 1
    assert SurveyParticipation.objects.filter(survey=survey, user=person).count() == 1
