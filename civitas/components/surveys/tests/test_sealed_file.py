"""A consultation's published file proves what it claims (issue 22, items 1-4, 6 and 8).

Each test downloads the real file of a closed consultation and plays the reviewer's attack.
"""

import datetime
import json

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from civitas import recount
from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox.opendata import sealed_file_rows
from civitas.ballotbox.services import iter_published, verify
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Survey
from civitas.components.surveys.tests.helpers import answer_many, post_data
from civitas.sealing import (
    canonical_json,
    compute_tally,
    file_seal,
    group_seal,
    iter_published_lines,
    read_published,
    receipt_hash,
)
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _close(survey, admin):
    services.do_close(survey=survey, user=admin)
    survey.refresh_from_db()
    return survey


def _download(client, survey) -> str:
    url = f"{survey.component.get_absolute_url()}answers.jsonl"
    return b"".join(client.get(url).streaming_content).decode()


def _recount(tmp_path, text: str, *options: str, capsys) -> tuple[int, str]:
    path = tmp_path / "answers.jsonl"
    path.write_text(text, encoding="utf-8")
    status = recount.main([str(path), *options])
    return status, capsys.readouterr().out


@pytest.fixture
def published(survey, questionnaire, admin_a):
    codes = answer_many(survey, questionnaire, 6)
    _close(survey, admin_a)
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    return survey, codes


def test_swapping_two_option_labels_in_the_published_file_fails_the_recount(
    tmp_path, capsys, client_a, published, questionnaire
):
    survey, _codes = published
    text = _download(client_a, survey)
    assert _recount(tmp_path, text, "--seal", survey.seal, capsys=capsys)[0] == 0
    lines = text.splitlines(keepends=True)
    header = json.loads(lines[0])
    question = next(q for q in header["definition"]["questions"] if q["id"] == questionnaire.single.key)
    yes, no = question["options"]
    yes["label"], no["label"] = no["label"], yes["label"]  # "Non" now names the winner
    swapped = canonical_json(header) + "\n" + "".join(lines[1:])
    status, out = _recount(tmp_path, swapped, "--seal", survey.seal, capsys=capsys)
    assert status == 1 and "MISMATCH seal" in out
    header["about"]["organization"] = "Commune B"
    status, _out = _recount(tmp_path, canonical_json(header) + "\n" + "".join(lines[1:]), capsys=capsys)
    assert status == 1


def test_the_header_is_frozen_at_closing_so_later_renames_leave_the_file_valid(client_a, published, admin_a):
    survey, _codes = published
    survey.component.name = "Un autre titre"
    survey.component.save()
    survey = Survey.objects.get(pk=survey.pk)
    text = _download(client_a, survey)
    assert json.loads(text.splitlines()[0])["about"]["title"] == "Questionnaire"
    assert recount.recount(read_published(text.splitlines(keepends=True)), announced_seal=survey.seal).ok
    assert verify(survey) == []


def test_a_record_with_a_duplicate_payload_key_is_refused(
    tmp_path, capsys, client_a, published, questionnaire
):
    survey, _codes = published
    lines = _download(client_a, survey).splitlines(keepends=True)
    decoy = canonical_json(
        {questionnaire.single.key: {"choice": questionnaire.o(questionnaire.single, "Non")}}
    )
    lines[1] = lines[1].replace('"payload":', f'"payload":{decoy},"payload":', 1)
    status, out = _recount(tmp_path, "".join(lines), "--seal", survey.seal, capsys=capsys)
    assert status == 1 and "'payload' appears twice" in out


def test_a_forgery_with_its_own_tally_and_seal_fails_against_the_announced_seal(
    tmp_path, capsys, client_a, published, questionnaire
):
    survey, _codes = published
    lines = _download(client_a, survey).splitlines(keepends=True)
    header = json.loads(lines[0])
    no = questionnaire.o(questionnaire.single, "Non")
    records, envelopes = [], []
    for line in lines[1:-1]:
        item = json.loads(line)
        if "envelope" in item:
            envelopes.append(item["envelope"])
            continue
        item["payload"][questionnaire.single.key] = {"choice": no}  # everybody said no
        records.append(item)
    tally = compute_tally("survey", header["definition"], records)
    arguments = {key: header[key] for key in ("kind", "definition", "about", "receipt_mode", "text_paths")}
    forged_seal = file_seal(**arguments, records=records, envelopes=envelopes, tally=tally)
    forged = "".join(iter_published_lines(**arguments, records=records, envelopes=envelopes, tally=tally))
    assert _recount(tmp_path, forged, "--seal", forged_seal, capsys=capsys)[0] == 0
    status, out = _recount(tmp_path, forged, "--seal", survey.grouped_seal, capsys=capsys)
    assert status == 1 and "not the announced seal" in out


def test_the_seal_is_shown_grouped_on_the_results_and_admin_pages_and_logged(client_a, published, admin_a):
    survey, _codes = published
    page = client_a.get(f"{survey.component.get_absolute_url()}results/").content.decode()
    assert survey.grouped_seal == group_seal(survey.seal) and survey.grouped_seal in page
    assert f'--seal "{survey.grouped_seal}"' in page
    client_a.force_login(admin_a)
    admin_page = client_a.get(
        f"/admin/spaces/{survey.component.space_id}/components/{survey.component_id}/surveys/"
    )
    assert survey.grouped_seal in admin_page.content.decode()
    entry = ActionLogEntry.objects.get(action="survey.close")
    assert entry.after["seal"] == survey.seal


def test_the_open_data_lists_the_file_and_its_seal(published, org_a):
    survey, _codes = published
    (row,) = list(sealed_file_rows(org_a))
    assert row["seal"] == survey.grouped_seal and row["kind"] == "survey" and row["format_version"] == 2
    assert row["file_url"].endswith("answers.jsonl")


def test_a_hidden_text_leaves_the_public_file_which_still_has_the_official_seal(
    tmp_path, capsys, client_a, published, admin_a, questionnaire
):
    survey, _codes = published
    answer = Answer.objects.filter(survey=survey, payload__has_key=questionnaire.why_not.key).first()
    abusive = answer.payload[questionnaire.why_not.key]
    before = _download(client_a, survey)
    services.do_set_text_hidden(
        survey=survey, user=admin_a, answer_id=answer.pk, question_key=questionnaire.why_not.key, hidden=True
    )
    after = _download(client_a, survey)
    line = next(line for line in after.splitlines() if str(answer.pk) in line)
    assert abusive not in line and '"redacted":"sha256:' in line
    assert before.count(abusive) == after.count(abusive) + 1
    status, out = _recount(tmp_path, after, "--seal", survey.seal, capsys=capsys)
    assert status == 0, out
    assert "redacted texts: 1" in out
    page = client_a.get(f"{survey.component.get_absolute_url()}results/").content.decode()
    assert 'id="hidden-texts"' in page and ">1 " in page.split('id="hidden-texts"')[1][:10]
    assert verify(survey) == []


def test_an_other_text_of_a_choice_can_be_hidden_without_touching_the_choice(
    tmp_path, capsys, client_a, published, admin_a, questionnaire
):
    survey, _codes = published
    key = questionnaire.multiple.key
    answer = next(a for a in Answer.objects.filter(survey=survey) if a.payload.get(key, {}).get("other"))
    services.do_set_text_hidden(
        survey=survey, user=admin_a, answer_id=answer.pk, question_key=key, hidden=True
    )
    text = _download(client_a, survey)
    record = next(json.loads(line) for line in text.splitlines() if str(answer.pk) in line)
    assert record["payload"][key]["choices"] == answer.payload[key]["choices"]
    assert record["payload"][key]["other"]["redacted"].startswith("sha256:")
    assert _recount(tmp_path, text, "--seal", survey.seal, capsys=capsys)[0] == 0


def test_inclusion_receipts_prove_counting_without_leading_to_the_answer(
    tmp_path, capsys, client_a, survey, questionnaire, admin_a
):
    Survey.objects.filter(pk=survey.pk).update(receipt_mode="inclusion")
    survey.refresh_from_db()
    codes = answer_many(survey, questionnaire, 4)
    _close(survey, admin_a)
    services.do_set_results_published(survey=survey, user=admin_a, published=True)
    text = _download(client_a, survey)
    lines = text.splitlines()
    assert all(json.loads(line)["receipt"] is None for line in lines[1:5])
    assert sorted(receipt_hash(code) for _person, code in codes) == [
        json.loads(x)["receipt"] for x in lines[5:9]
    ]
    status, out = _recount(tmp_path, text, "--seal", survey.seal, "--receipt", codes[0][1], capsys=capsys)
    assert status == 0 and "receipt: counted" in out
    assert not Answer.objects.filter(survey=survey, receipt_hash__isnull=False).exists()
    answers = [str(pk) for pk in Answer.objects.filter(survey=survey).values_list("pk", flat=True)]
    assert not any(pk in out for pk in answers)
    url = f"{survey.component.get_absolute_url()}check/"
    client_a.cookies["django_language"] = "en"
    checked = client_a.post(url, {"code": codes[0][1]}).content.decode()
    assert "it is counted" in checked and not any(pk in checked for pk in answers)
    assert (
        "proves that your ballot is counted"
        in client_a.get(survey.component.get_absolute_url()).content.decode()
    )


def test_the_receipt_mode_is_set_before_answers_and_fixed_afterwards(
    client_a, survey, questionnaire, admin_a
):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    url = f"/admin/spaces/{survey.component.space_id}/components/{survey.component_id}/surveys/"
    form = {"introduction": "", "receipt_mode": "inclusion"}
    assert client_a.post(url, form).status_code == 302
    survey.refresh_from_db()
    assert survey.receipt_mode == "inclusion"
    assert ActionLogEntry.objects.filter(action="survey.update", after__receipt_mode="inclusion").exists()
    answer_many(survey, questionnaire, 1)
    page = client_a.get(url).content.decode()
    assert "Fixed: answers have been received" in page
    client_a.post(url, {**form, "receipt_mode": "reveal"})
    survey.refresh_from_db()
    assert survey.receipt_mode == "inclusion"


@override_settings(TIME_ZONE="Pacific/Auckland")
def test_closed_on_is_the_local_day_like_the_records_days(survey, questionnaire, admin_a, org_a):
    # 11:30 UTC on 1 March is 00:30 on 2 March in Auckland (UTC+13 in summer).
    moment = datetime.datetime(2026, 3, 1, 11, 30, tzinfo=datetime.UTC)
    with timezone.override("Pacific/Auckland"), time_machine.travel(moment, tick=False):
        services.do_answer(
            survey=survey, user=UserFactory(organization=org_a), data=post_data(questionnaire.answer())
        )
        _close(survey, admin_a)
    assert survey.frozen_at.date().isoformat() == "2026-03-01"  # the UTC day the old header carried
    text = "".join(iter_published(survey))
    header, record = (json.loads(line) for line in text.splitlines()[:2])
    assert record["day"] == "2026-03-02"
    assert header["about"]["closed_on"] == record["day"]


@pytest.mark.parametrize("change", [{"sealed_header": {}}, {"receipt_mode": "inclusion"}])
def test_the_database_refuses_to_change_the_sealed_header_or_the_receipt_mode(published, change):
    from django.db import IntegrityError, transaction

    survey, _codes = published
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(**change)
