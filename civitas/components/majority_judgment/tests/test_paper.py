"""Paper ballots: serial numbers, double entry, resolving differences, counting a box once."""

import io

import pytest

from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox.models import Envelope
from civitas.ballotbox.services import iter_published, verify
from civitas.components.majority_judgment import counting, paper, services
from civitas.components.majority_judgment.models import (
    Ballot,
    CountedSerial,
    GradeCount,
    PaperBatch,
    PaperKeying,
)
from civitas.core.serials import format_serial
from civitas.recount import recount
from civitas.sealing.published import read_published
from civitas.spaces.services import do_grant_role
from civitas.testing.ballots import opened_records
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyers(org_a, admin_a, election):
    """Two space admins of the vote's space, who key every ballot."""
    first = UserFactory(organization=org_a, nickname="claire")
    second = UserFactory(organization=org_a, nickname="denis")
    for person in (first, second):
        do_grant_role(space=election.component.space, user=admin_a, person=person, role="admin")
    return first, second


@pytest.fixture
def serials(election, admin_a):
    return paper.serials_of(paper.do_print_run(election=election, user=admin_a, copies=10))


@pytest.fixture
def box(election, admin_a):
    return paper.do_create_batch(election=election, user=admin_a, label="Urne de la mairie", expected_count=2)


def _grades(candidates, **by_title):
    """Form data: ``Bancs=6`` gives the grade 6 (the highest) to “Bancs”."""
    titles = {"Piste": "Piste cyclable", "Jardin": "Jardin partagé", "Bancs": "Bancs"}
    return {f"candidate-{candidates[titles[key]].pk}": str(grade) for key, grade in by_title.items()}


def _key_twice(box, keyers, serial, data):
    for person in keyers:
        paper.do_key_ballot(batch=box, user=person, serial=serial, data=data)


def test_two_identical_keyings_count_as_anonymous_paper_ballots(election, candidates, keyers, serials, box):
    _key_twice(box, keyers, serials[0], _grades(candidates, Bancs=6, Piste=3))
    _key_twice(box, keyers, serials[1], _grades(candidates, Bancs=5))
    assert paper.check_can_count(box) is None
    assert paper.do_count_batch(batch=box, user=keyers[0]) == 2
    ballots = opened_records(election)
    assert len(ballots) == 2 and {ballot.channel for ballot in ballots} == {"paper"}
    assert all(ballot.receipt_hash is None for ballot in ballots)
    # Nothing links a serial to grades any more: the keyings are gone, the serials kept alone.
    assert not PaperKeying.objects.exists()
    assert set(CountedSerial.objects.values_list("serial", flat=True)) == set(serials[:2])
    services.do_close(election=election, user=keyers[0])
    bancs = str(candidates["Bancs"].pk)
    assert counting.database_profiles(election)[bancs] == [0, 0, 0, 0, 0, 1, 1]
    assert counting.database_profiles(election) == counting.recount_profiles(election)
    assert ActionLogEntry.objects.filter(action="majority_judgment.paper_batch_count").exists()


def test_keyings_that_differ_are_listed_and_nothing_counts_until_resolved(
    election, candidates, keyers, serials, box
):
    first, second = keyers
    _key_twice(box, keyers, serials[0], _grades(candidates, Bancs=6))
    paper.do_key_ballot(batch=box, user=first, serial=serials[1], data=_grades(candidates, Jardin=4))
    paper.do_key_ballot(batch=box, user=second, serial=serials[1], data=_grades(candidates, Jardin=2))
    status = paper.batch_status(box)
    assert [(item.serial, item.reason) for item in status.discrepancies] == [
        (serials[1], "the keyings differ")
    ]
    assert "Double entry" in paper.check_can_count(box)
    with pytest.raises(paper.PaperError):
        paper.do_count_batch(batch=box, user=first)
    assert not Envelope.objects.exists() and not GradeCount.objects.filter(count__gt=0).exists()
    kept = PaperKeying.objects.get(batch=box, serial=serials[1], keyed_by=first)
    paper.do_resolve(batch=box, user=second, keeping=kept)
    assert paper.batch_status(box).discrepancies == []
    assert paper.do_count_batch(batch=box, user=second) == 2
    services.do_close(election=election, user=second)
    jardin = str(candidates["Jardin partagé"].pk)
    assert counting.database_profiles(election)[jardin][4] == 1
    assert ActionLogEntry.objects.filter(action="majority_judgment.paper_resolve").exists()


def test_a_ballot_keyed_by_one_person_only_does_not_count(candidates, keyers, serials, box):
    first, second = keyers
    _key_twice(box, keyers, serials[0], {})
    paper.do_key_ballot(batch=box, user=first, serial=serials[1], data={})
    assert [item.reason for item in paper.batch_status(box).discrepancies] == ["keyed by one person only"]
    with pytest.raises(paper.PaperError):
        paper.do_count_batch(batch=box, user=first)
    # Once a second person keys it identically, the box counts.
    paper.do_key_ballot(batch=box, user=second, serial=serials[1], data={})
    assert paper.do_count_batch(batch=box, user=first) == 2


def test_deleting_a_wrong_keying_then_keying_again_agrees(candidates, keyers, serials, box):
    first, second = keyers
    _key_twice(box, keyers, serials[0], {})
    paper.do_key_ballot(batch=box, user=first, serial=serials[1], data=_grades(candidates, Bancs=1))
    wrong = paper.do_key_ballot(batch=box, user=second, serial=serials[1], data=_grades(candidates, Bancs=2))
    paper.do_delete_keying(keying=wrong, user=second)
    paper.do_key_ballot(batch=box, user=second, serial=serials[1], data=_grades(candidates, Bancs=1))
    assert paper.check_can_count(box) is None


def test_a_person_keys_a_ballot_once_but_may_correct_it(candidates, keyers, serials, box):
    first, _second = keyers
    paper.do_key_ballot(batch=box, user=first, serial=serials[0], data=_grades(candidates, Bancs=1))
    with pytest.raises(paper.PaperError) as error:
        paper.do_key_ballot(batch=box, user=first, serial=serials[0], data=_grades(candidates, Bancs=3))
    assert error.value.field == "serial"
    paper.do_key_ballot(
        batch=box, user=first, serial=serials[0], data=_grades(candidates, Bancs=3), replace=True
    )
    keying = PaperKeying.objects.get()
    assert keying.payload["grades"][str(candidates["Bancs"].pk)] == 3


def test_a_serial_counts_once_across_ballot_boxes(election, admin_a, candidates, keyers, serials, box):
    other = paper.do_create_batch(election=election, user=admin_a, label="Urne de l'école", expected_count=1)
    _key_twice(box, keyers, serials[0], {})
    _key_twice(box, keyers, serials[1], {})
    _key_twice(other, keyers, serials[1], {})  # the same ballot, keyed in a second box by mistake
    paper.do_count_batch(batch=box, user=admin_a)
    with pytest.raises(paper.PaperError) as error:
        paper.do_count_batch(batch=other, user=admin_a)
    assert serials[1] in error.value.message
    with pytest.raises(paper.PaperError) as error:  # and it can no longer be keyed
        paper.do_key_ballot(batch=other, user=keyers[0], serial=serials[1], data={}, replace=True)
    assert error.value.field == "serial"
    assert Envelope.objects.count() == 2
    with pytest.raises(paper.PaperError):  # a counted box cannot count again
        paper.do_count_batch(batch=box, user=admin_a)
    assert Envelope.objects.count() == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type the serial number"),
        ("000001-00", "mistyped"),
        (format_serial(11), "No ballot was printed"),
    ],
)
def test_bad_serial_numbers_are_refused_and_nothing_is_stored(keyers, serials, box, typed, message):
    with pytest.raises(paper.PaperError) as error:
        paper.do_key_ballot(batch=box, user=keyers[0], serial=typed, data={})
    assert message in error.value.message and error.value.field == "serial"
    assert not PaperKeying.objects.exists()


def test_a_grade_outside_the_scale_is_refused_and_nothing_is_stored(candidates, keyers, serials, box):
    with pytest.raises(services.VoteError):
        paper.do_key_ballot(batch=box, user=keyers[0], serial=serials[0], data=_grades(candidates, Bancs=7))
    assert not PaperKeying.objects.exists()


def test_a_box_counts_only_when_as_many_ballots_as_it_held_are_keyed(admin_a, keyers, serials, box):
    _key_twice(box, keyers, serials[0], {})
    assert "box held 2" in paper.check_can_count(box)
    with pytest.raises(paper.PaperError):
        paper.do_count_batch(batch=box, user=admin_a)
    paper.do_set_expected_count(batch=box, user=admin_a, expected_count=1)
    assert paper.do_count_batch(batch=box, user=admin_a) == 1
    assert ActionLogEntry.objects.filter(action="majority_judgment.paper_batch_expected").exists()


def test_keying_and_counting_are_refused_once_the_vote_is_closed(election, admin_a, keyers, serials, box):
    _key_twice(box, keyers, serials[0], {})
    _key_twice(box, keyers, serials[1], {})
    services.do_close(election=election, user=admin_a)
    with pytest.raises(paper.PaperError):
        paper.do_key_ballot(batch=box, user=keyers[0], serial=serials[2], data={})
    with pytest.raises(paper.PaperError):
        paper.do_count_batch(batch=box, user=admin_a)
    with pytest.raises(paper.PaperError):
        paper.do_create_batch(election=election, user=admin_a, label="Trop tard", expected_count=1)
    assert Ballot.objects.count() == 0 and election.tally["ballots"] == 0
    closing = ActionLogEntry.objects.get(action="majority_judgment.close")
    assert closing.after["uncounted_batches"] == 1


def test_paper_and_online_ballots_are_tallied_sealed_and_recounted_together(
    election, candidates, admin_a, keyers, serials, box, voter
):
    services.do_vote(election=election, user=voter, data=_grades(candidates, Piste=6))
    _key_twice(box, keyers, serials[0], _grades(candidates, Bancs=6))
    _key_twice(box, keyers, serials[1], _grades(candidates, Bancs=6))
    paper.do_count_batch(batch=box, user=admin_a)
    services.do_close(election=election, user=admin_a)
    assert election.tally["ballots"] == 3
    assert election.tally["by_channel"] == {"online": 1, "paper": 2}
    assert election.tally["ranking"][0]["id"] == str(candidates["Bancs"].pk)
    assert verify(election) == []
    text = "".join(iter_published(election))
    assert text.count('"channel":"paper"') == 2
    report = recount(read_published(io.StringIO(text)))
    assert report.ok and report.records == 3
    assert counting.database_profiles(election) == election.tally["profiles"]


def test_a_keying_sent_with_a_stale_page_after_the_count_is_refused(election, admin_a, keyers, serials, box):
    stale = PaperBatch.objects.get(pk=box.pk)  # loaded before the box was counted
    _key_twice(box, keyers, serials[0], {})
    _key_twice(box, keyers, serials[1], {})
    paper.do_count_batch(batch=box, user=admin_a)
    with pytest.raises(paper.PaperError, match="has been counted"):
        paper.do_key_ballot(batch=stale, user=keyers[0], serial=serials[2], data={})
    assert not PaperKeying.objects.exists() and Envelope.objects.count() == 2


def test_deleting_the_vote_takes_its_paper_ballots_with_it(election, admin_a, keyers, serials, box):
    from civitas.components.services import do_delete_component

    _key_twice(box, keyers, serials[0], {})
    _key_twice(box, keyers, serials[1], {})
    paper.do_count_batch(batch=box, user=admin_a)
    services.do_close(election=election, user=admin_a)
    do_delete_component(component=election.component, user=admin_a)
    assert not CountedSerial.objects.exists() and not PaperBatch.objects.exists()
    assert not Ballot.objects.exists() and not GradeCount.objects.exists()
    assert not Envelope.objects.exists()
