"""Paper and postal forms: serial numbers, keying, CSV import, double entry, counting once."""

import io

import pytest

from civitas.ballotbox.models import Envelope
from civitas.components.surveys import services
from civitas.components.surveys.models import Answer, Keying, UsedSerial
from civitas.components.surveys.questionnaire import format_serial, parse_serial
from civitas.components.surveys.tests.helpers import post_data
from civitas.testing.ballots import opened_records
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerks(org_a, survey):
    first = UserFactory(organization=org_a, nickname="claire")
    second = UserFactory(organization=org_a, nickname="denis")
    survey.data_entry_staff.add(first, second)
    return first, second


@pytest.fixture
def serials(survey, admin_a):
    run = services.do_print_run(survey=survey, user=admin_a, copies=10)
    return services.serials_of(run)


def test_serial_numbers_are_unique_and_checked(survey, admin_a, serials):
    more = services.serials_of(services.do_print_run(survey=survey, user=admin_a, copies=5))
    assert len(set(serials + more)) == 15
    assert parse_serial(serials[3], 15) == 4
    with pytest.raises(ValueError):
        parse_serial(serials[3][:-1] + ("1" if serials[3][-1] != "1" else "2"), 15)  # a typo
    with pytest.raises(ValueError):
        parse_serial(format_serial(16), 15)  # never printed


def test_single_entry_batch_counts_once_and_a_serial_counts_once(
    survey, questionnaire, admin_a, clerks, serials
):
    clerk, _other = clerks
    box = services.do_create_batch(survey=survey, user=clerk, label="Urne de la mairie", channel="paper")
    for serial in serials[:3]:
        services.do_key_form(batch=box, user=clerk, serial=serial, data=post_data(questionnaire.answer()))
    with pytest.raises(services.SurveyError):  # the same form keyed twice by the same person
        services.do_key_form(batch=box, user=clerk, serial=serials[0], data=post_data(questionnaire.answer()))
    assert services.do_count_batch(batch=box, user=clerk) == 3
    assert len(opened_records(survey, channel="paper")) == 3
    assert all(record.receipt_hash is None for record in opened_records(survey))
    # Counted forms leave no keying behind: nothing ties an answer to a form's serial.
    assert not Keying.objects.filter(batch=box).exists()
    with pytest.raises(services.SurveyError):  # a counted batch cannot count again
        services.do_count_batch(batch=box, user=clerk)
    post = services.do_create_batch(survey=survey, user=clerk, label="Courrier", channel="post")
    with pytest.raises(services.SurveyError) as error:  # already counted: refused at keying
        services.do_key_form(
            batch=post, user=clerk, serial=serials[1], data=post_data(questionnaire.answer())
        )
    assert "serial" in error.value.errors
    # Keyed in two open batches, a serial counts in the first batch counted only.
    first = services.do_create_batch(survey=survey, user=clerk, label="Urne A", channel="paper")
    second = services.do_create_batch(survey=survey, user=clerk, label="Urne B", channel="paper")
    services.do_key_form(batch=first, user=clerk, serial=serials[5], data=post_data(questionnaire.answer()))
    services.do_key_form(batch=second, user=clerk, serial=serials[5], data=post_data(questionnaire.answer()))
    services.do_count_batch(batch=first, user=clerk)
    with pytest.raises(services.SurveyError):
        services.do_count_batch(batch=second, user=clerk)
    assert UsedSerial.objects.filter(serial=serials[5]).count() == 1
    assert len(opened_records(survey)) == 4


def test_double_entry_needs_two_people_and_every_difference_resolved(survey, questionnaire, clerks, serials):
    survey.double_entry = True
    survey.save()
    claire, denis = clerks
    box = services.do_create_batch(survey=survey, user=claire, label="Urne", channel="paper")
    for serial in serials[:3]:
        services.do_key_form(batch=box, user=claire, serial=serial, data=post_data(questionnaire.answer()))
    assert "two different people" in services.check_can_count(box)
    with pytest.raises(services.SurveyError):
        services.do_count_batch(batch=box, user=claire)
    # Denis keys the same forms, with one mistake, and forgets one.
    services.do_key_form(batch=box, user=denis, serial=serials[0], data=post_data(questionnaire.answer()))
    services.do_key_form(
        batch=box, user=denis, serial=serials[1], data=post_data(questionnaire.answer(yes=False))
    )
    status = services.batch_status(box)
    assert {d.serial: d.reason for d in status["discrepancies"]} == {
        serials[1]: "the keyings differ",
        serials[2]: "keyed by one person only",
    }
    assert "resolve every difference" in services.check_can_count(box)
    with pytest.raises(services.SurveyError):
        services.do_count_batch(batch=box, user=denis)
    services.do_key_form(batch=box, user=denis, serial=serials[2], data=post_data(questionnaire.answer()))
    claires = Keying.objects.get(batch=box, keyed_by=claire, serial=serials[1])
    services.do_resolve(batch=box, user=denis, serial=serials[1], keeping=claires)
    assert services.batch_status(box)["discrepancies"] == []
    assert services.do_count_batch(batch=box, user=denis) == 3
    assert len(opened_records(survey, channel="paper")) == 3


def test_keying_uses_the_same_validation_as_online(survey, questionnaire, clerks, serials):
    clerk, _other = clerks
    box = services.do_create_batch(survey=survey, user=clerk, label="Urne", channel="paper")
    data = {**questionnaire.answer(), questionnaire.scale.key: "9"}
    with pytest.raises(services.SurveyError) as error:
        services.do_key_form(batch=box, user=clerk, serial=serials[0], data=post_data(data))
    assert questionnaire.scale.key in error.value.errors
    with pytest.raises(services.SurveyError):
        services.do_key_form(batch=box, user=clerk, serial="123", data=post_data(questionnaire.answer()))
    assert not Keying.objects.exists()


def test_csv_import_is_all_or_nothing(survey, questionnaire, clerks, serials):
    clerk, _other = clerks
    q = questionnaire
    box = services.do_create_batch(survey=survey, user=clerk, label="Courrier", channel="post")
    header = f"serial;{q.single.key};{q.multiple.key};{q.multiple.key}_other;{q.scale.key}"
    good = [
        f"{serials[0]};{q.o(q.single, 'Oui')};"
        f"{q.o(q.multiple, 'Emploi')}|{q.o(q.multiple, 'Autre')};Le marché;3",
        f"{serials[1]};{q.o(q.single, 'Non')};;;5",
    ]
    bad = good + [f"{serials[2]};o999999;;;1"]
    with pytest.raises(services.SurveyError) as error:
        services.do_import_csv(batch=box, user=clerk, file=io.BytesIO("\n".join([header, *bad]).encode()))
    assert "4" in error.value.message  # the line of the error
    assert not Keying.objects.exists()
    count = services.do_import_csv(
        batch=box, user=clerk, file=io.BytesIO("\n".join([header, *good]).encode())
    )
    assert count == 2
    services.do_count_batch(batch=box, user=clerk)
    payloads = [record.payload for record in opened_records(survey, channel="post")]
    assert {"choices": [q.o(q.multiple, "Emploi"), q.o(q.multiple, "Autre")], "other": "Le marché"} in [
        p.get(q.multiple.key) for p in payloads
    ]


def test_data_entry_pages_keyboard_form_and_permissions(
    client_a, survey_component, survey, questionnaire, clerks, serials, participant
):
    clerk, _other = clerks
    base = f"/admin/spaces/{survey_component.space_id}/components/{survey_component.pk}/surveys/"
    client_a.force_login(participant)
    assert client_a.get(f"{base}batches/").status_code == 403
    client_a.force_login(clerk)
    assert client_a.get(base).status_code == 302  # clerks land on the batches
    response = client_a.post(f"{base}batches/", {"label": "Urne école", "channel": "paper"})
    assert response.status_code == 302
    page = client_a.get(response["Location"]).content.decode()
    assert 'name="serial"' in page and "autofocus" in page
    data = {"action": "key", "serial": serials[0], **questionnaire.answer()}
    assert client_a.post(response["Location"], data).status_code == 302
    assert Keying.objects.filter(keyed_by=clerk).count() == 1
    bad = client_a.post(response["Location"], {**data, "serial": serials[1], questionnaire.scale.key: "0"})
    assert bad.status_code == 400 and Keying.objects.count() == 1
    assert client_a.post(response["Location"], {"action": "count"}).status_code == 302
    assert len(opened_records(channel="paper")) == 1
    # Clerks print forms but do not reach the builder, the closing or the exports.
    assert client_a.post(f"{base}close/").status_code == 403
    assert client_a.get(f"{base}export/").status_code == 403


def test_printed_forms_carry_their_serial_numbers(client_a, admin_a, survey_component, questionnaire):
    base = f"/admin/spaces/{survey_component.space_id}/components/{survey_component.pk}/surveys/"
    client_a.force_login(admin_a)
    response = client_a.post(f"{base}print/", {"copies": "3"})
    assert response.status_code == 302
    page = client_a.get(response["Location"]).content.decode()
    for number in (1, 2, 3):
        assert format_serial(number) in page
    assert page.count('class="paper-form"') == 3 and "paper.css" in page
    assert client_a.post(f"{base}print/", {"copies": "0"}).status_code == 302


def test_a_consultation_with_counted_paper_forms_can_be_deleted(
    survey, survey_component, questionnaire, admin_a, clerks, serials
):
    from civitas.components.services import do_delete_component
    from civitas.components.surveys.models import Batch

    clerk, _other = clerks
    box = services.do_create_batch(survey=survey, user=clerk, label="Urne de la mairie", channel="paper")
    services.do_key_form(batch=box, user=clerk, serial=serials[0], data=post_data(questionnaire.answer()))
    services.do_count_batch(batch=box, user=clerk)
    do_delete_component(component=survey_component, user=admin_a)
    assert not UsedSerial.objects.exists() and not Batch.objects.exists() and not Answer.objects.exists()
    assert not Envelope.objects.exists()
