"""Closing freezes the answers in the database, seals them, and the recount agrees."""

import io
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from civitas import recount
from civitas.ballotbox.services import iter_published, verify
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.helpers import answer_many, post_data
from civitas.sealing import canonical_json, compute_tally, file_seal, read_published
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(survey, questionnaire, admin_a):
    codes = answer_many(survey, questionnaire, 12)
    services.do_close(survey=survey, user=admin_a)
    survey.refresh_from_db()
    return survey, codes


def _file(survey) -> str:
    return "".join(iter_published(survey))


def test_closing_tallies_and_seals(closed, questionnaire):
    survey, _codes = closed
    q = questionnaire
    assert survey.is_frozen and len(survey.seal) == 64
    assert survey.tally["answers"] == 12 and survey.tally["by_channel"] == {"online": 12}
    assert survey.tally["questions"][q.single.key]["options"] == {
        q.o(q.single, "Oui"): 8,
        q.o(q.single, "Non"): 4,
    }
    assert survey.tally["questions"][q.why_not.key]["answered"] == 4
    records = sorted(
        (answer.as_sealed_record() for answer in Answer.objects.filter(survey=survey)), key=lambda r: r["id"]
    )
    header = survey.sealed_header
    assert header["version"] == 2 and header["receipt_mode"] == "reveal"
    arguments = {key: header[key] for key in ("kind", "definition", "about", "receipt_mode", "text_paths")}
    envelopes = sorted(survey.envelopes().values_list("fingerprint", flat=True))
    assert len(envelopes) == 12  # every encrypted record as cast, listed in the file
    assert file_seal(**arguments, records=records, envelopes=envelopes, tally=survey.tally) == survey.seal
    assert compute_tally("survey", survey.sealed_definition, records) == survey.tally
    assert verify(survey) == []


def test_recount_of_the_published_file_agrees_and_finds_every_receipt(closed):
    survey, codes = closed
    text = _file(survey)
    report = recount.recount(read_published(io.StringIO(text)), receipt=codes[3][1])
    assert report.ok, report.mismatches
    assert report.seal == survey.seal and report.records == 12 and report.receipt_found
    header = json.loads(text.splitlines()[0])
    assert header["kind"] == "survey" and header["about"]["title"] == "Questionnaire"
    # The file names nobody: no account id, e-mail or nickname appears in it.
    for person, _code in codes:
        assert person.email not in text and person.nickname not in text


def test_a_tampered_file_is_detected(closed, questionnaire):
    survey, _codes = closed
    q = questionnaire
    lines = _file(survey).splitlines()
    record = json.loads(lines[1])
    record["payload"][q.single.key]["choice"] = (
        q.o(q.single, "Non")
        if record["payload"][q.single.key]["choice"] == q.o(q.single, "Oui")
        else q.o(q.single, "Oui")
    )
    lines[1] = canonical_json(record)
    report = recount.recount(read_published(io.StringIO("\n".join(lines) + "\n")))
    assert not report.ok
    assert any(m.startswith(f"tally.questions.{q.single.key}.options") for m in report.mismatches)
    assert any(m.startswith("seal:") for m in report.mismatches)


@pytest.mark.parametrize("statement", ["update", "delete", "insert"])
def test_the_database_refuses_any_change_to_frozen_answers(closed, statement):
    survey, _codes = closed
    answer = Answer.objects.filter(survey=survey).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        if statement == "update":
            Answer.objects.filter(pk=answer.pk).update(payload={})
        elif statement == "delete":
            Answer.objects.filter(pk=answer.pk).delete()
        else:
            Answer.objects.create(survey=survey, payload={})
    assert Answer.objects.filter(survey=survey).count() == 12


@pytest.mark.parametrize("field", ["seal", "tally", "frozen_at", "sealed_definition"])
def test_the_database_refuses_to_change_the_seal_or_unfreeze(closed, field):
    survey, _codes = closed
    values = {"seal": "0" * 64, "tally": {"answers": 1}, "frozen_at": None, "sealed_definition": {}}
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(**{field: values[field]})
    survey.refresh_from_db()
    assert verify(survey) == []


def test_tampering_that_bypasses_the_triggers_is_detected(closed):
    survey, _codes = closed
    answer = Answer.objects.filter(survey=survey).first()
    table = Answer._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f'DROP TRIGGER "{table}_frozen_update"')
        else:  # what a superuser can do: run without triggers for this session
            cursor.execute("SET session_replication_role = replica")
    Answer.objects.filter(pk=answer.pk).update(payload={})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = origin")
    problems = verify(survey)
    assert problems and any("seal" in problem for problem in problems)
    assert not recount.recount(read_published(io.StringIO(_file(survey)))).ok


def test_no_answer_after_closing(closed, org_a, questionnaire):
    survey, _codes = closed
    with pytest.raises(services.SurveyError):
        services.do_answer(
            survey=survey, user=UserFactory(organization=org_a), data=post_data(questionnaire.answer())
        )
    with pytest.raises(services.SurveyError):
        services.do_close(survey=survey, user=None)


def test_results_are_public_only_once_published(client_a, admin_a, closed, survey_component, questionnaire):
    survey, _codes = closed
    url = survey_component.get_absolute_url()
    assert client_a.get(f"{url}results/").status_code == 404
    assert client_a.get(f"{url}answers.jsonl").status_code == 404
    client_a.force_login(admin_a)
    assert client_a.get(f"{url}results/").status_code == 200  # preview for the admin
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    client_a.logout()
    page = client_a.get(f"{url}results/").content.decode()
    assert survey.grouped_seal in page and '<svg role="img"' in page and "<table" in page
    assert 'id="total-answers">12<' in page
    assert "Les commerces" in page  # "other" texts are listed
    download = b"".join(client_a.get(f"{url}answers.jsonl").streaming_content).decode()
    assert recount.recount(read_published(io.StringIO(download))).ok


def test_participation_rate_and_channel_split(client_a, admin_a, closed, survey_component):
    survey, _codes = closed
    Survey.objects.filter(pk=survey.pk).update(eligible_count=4400)
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    page = client_a.get(f"{survey_component.get_absolute_url()}results/").content.decode()
    assert "0,3\xa0%" in page or "0.3\xa0%" in page  # 12 of 4,400


def test_an_admin_hides_an_abusive_text(client_a, admin_a, closed, survey_component, questionnaire):
    survey, _codes = closed
    answer = Answer.objects.filter(survey=survey, payload__has_key=questionnaire.why_not.key).first()
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    url = f"{survey_component.get_absolute_url()}results/"
    assert client_a.get(url).content.decode().count("Trop près des écoles") == 4
    client_a.force_login(admin_a)
    admin_url = f"/admin/spaces/{survey_component.space_id}/components/{survey_component.pk}/surveys/results/"
    assert client_a.get(admin_url).status_code == 200
    response = client_a.post(
        f"{admin_url}hide/",
        {"answer_id": str(answer.pk), "question_key": questionnaire.why_not.key, "hidden": "1"},
    )
    assert response.status_code == 302
    assert client_a.get(url).content.decode().count("Trop près des écoles") == 3
    # The published file carries it as its fingerprint only, and keeps its seal.
    assert verify(survey) == []
    assert _file(survey).count("Trop près des écoles") == 3


def test_deleting_a_closed_consultation_marks_it_discarded_first(closed, admin_a):
    from civitas.components.services import do_delete_component

    survey, _codes = closed
    # Marked discarded by hand, without deleting: the answers still cannot change.
    Survey.objects.filter(pk=survey.pk).update(discarded_at=survey.frozen_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(survey=survey).update(payload={})
    with pytest.raises(IntegrityError), transaction.atomic():  # and the mark cannot be lifted
        Survey.objects.filter(pk=survey.pk).update(discarded_at=None)
    do_delete_component(component=survey.component, user=admin_a)
    assert not Survey.objects.exists() and not Answer.objects.exists()


def test_a_closed_consultation_deletes_with_its_component(closed, admin_a):
    from civitas.components.services import do_delete_component

    survey, _codes = closed
    do_delete_component(component=survey.component, user=admin_a)
    assert not Answer.objects.exists()


@pytest.mark.django_db(transaction=True)  # closing's own transaction, as on a server
def test_a_large_closing_reads_its_records_back_by_index_without_locking_the_table(
    survey, questionnaire, admin_a, monkeypatch
):
    """The tally and the seal read the opened records back a chunk at a time, planned on the
    table's statistics. Taken before closing wrote the records (nobody else can see them until
    it commits), they made every chunk a bitmap read of all remaining records: minutes for
    475,000. The reads are ranges of the (target, id) index whatever the statistics say, and
    the table is not locked for it (ANALYZE, which did it before, made closings at the same
    time tally one after the other)."""
    from django.test.utils import CaptureQueriesContext

    from civitas.ballotbox import services as ballotbox

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner")
    answer_many(survey, questionnaire, 6)
    monkeypatch.setattr(ballotbox, "INDEX_READS_FROM", 5)
    planner = []
    tally = ballotbox.compute_tally

    def tally_noting_the_planner(kind, definition, records):
        # What the planner may use for the tally's and the seal's reads, in closing's transaction.
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan')")
            planner.append(cursor.fetchone())
        return tally(kind, definition, records)

    monkeypatch.setattr(ballotbox, "compute_tally", tally_noting_the_planner)
    with CaptureQueriesContext(connection) as captured:
        services.do_close(survey=survey, user=admin_a)
    assert planner == [("off", "off")]  # only index scans: a chunk is a range of (target, id)
    statements = [query["sql"] for query in captured.captured_queries]
    assert not [sql for sql in statements if sql.startswith("ANALYZE")]
    with connection.cursor() as cursor:  # for closing's transaction alone
        cursor.execute("SELECT current_setting('enable_bitmapscan'), current_setting('enable_seqscan')")
        assert cursor.fetchone() == ("on", "on")
    # The end of a transactional test truncates every table, which the freeze refuses
    # for a closed consultation's answers unless it is discarded.
    Survey.objects.filter(pk=survey.pk).update(discarded_at=timezone.now())


def test_a_small_closing_leaves_its_plans_to_postgresql(survey, questionnaire, admin_a):
    from django.test.utils import CaptureQueriesContext

    answer_many(survey, questionnaire, 3)
    with CaptureQueriesContext(connection) as captured:
        services.do_close(survey=survey, user=admin_a)
    assert not [query for query in captured.captured_queries if query["sql"].startswith("SET LOCAL")]
