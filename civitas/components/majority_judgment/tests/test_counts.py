"""The grade counts: nothing is counted while ballots are encrypted, everything once closed."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from civitas.ballotbox.models import Envelope
from civitas.components.majority_judgment import counting, services
from civitas.components.majority_judgment.models import Ballot, Election, GradeCount, Participation
from civitas.testing.factories import UserFactory


def _form(candidates, grades):
    return {
        f"candidate-{candidate.pk}": str(grade)
        for candidate, grade in zip(candidates.values(), grades, strict=True)
    }


@pytest.mark.django_db
def test_nothing_is_counted_before_closing_and_every_cell_after(election, candidates, org_a, admin_a):
    for grades in [(6, 0, 3), (6, 2, 3), (1, 2, 0)]:
        services.do_vote(
            election=election, user=UserFactory(organization=org_a), data=_form(candidates, grades)
        )
    # An empty ballot: every candidate gets the lowest grade, as the ballot page says.
    services.do_vote(election=election, user=UserFactory(organization=org_a), data={})
    # Counts kept cast after cast would tell how each voter graded: none exist while open.
    assert not GradeCount.objects.exists() and not Ballot.objects.exists()
    services.do_close(election=election, user=admin_a)
    profiles = counting.database_profiles(election)
    piste = str(candidates["Piste cyclable"].pk)
    assert profiles[piste] == [1, 1, 0, 0, 0, 0, 2]
    assert profiles == counting.recount_profiles(election) == election.tally["profiles"]
    assert sum(GradeCount.objects.filter(election=election).values_list("count", flat=True)) == 4 * 3


@pytest.mark.django_db
def test_a_refused_ballot_stores_nothing(election, candidates, voter):
    services.do_vote(election=election, user=voter, data=_form(candidates, (6, 6, 6)))
    with pytest.raises(services.VoteError):
        services.do_vote(election=election, user=voter, data=_form(candidates, (0, 0, 0)))
    with pytest.raises(services.VoteError):  # a grade off the scale
        services.do_vote(election=election, user=UserFactory(organization=voter.organization),
                         data=_form(candidates, (9, 0, 0)))  # fmt: skip
    assert Envelope.objects.count() == 1 and Participation.objects.count() == 1


@pytest.mark.django_db
def test_a_ballot_that_fails_to_store_takes_the_participation_with_it(
    election, candidates, voter, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the envelope could not be written")

    monkeypatch.setattr(Envelope.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.do_vote(election=election, user=voter, data=_form(candidates, (6, 6, 6)))
    assert not Envelope.objects.exists()
    assert not services.has_voted(election, voter)


@pytest.fixture
def _discard_closed_votes(request):
    # The flush after a transactional test deletes every row: the database lets a closed
    # vote's ballots go only once it is marked discarded.
    request.addfinalizer(lambda: Election.objects.update(discarded_at=timezone.now()))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_discard_closed_votes")
def test_simultaneous_voters_are_all_counted_once(election, candidates, org_a, admin_a):
    voters = [UserFactory(organization=org_a) for _ in range(12)]
    barrier = threading.Barrier(len(voters))
    outcomes = []

    def vote(index, person):
        try:
            barrier.wait()
            services.do_vote(election=election, user=person, data=_form(candidates, (index % 7, 6, 0)))
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - any failure is reported by the assertion below
            outcomes.append(f"error: {type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=pair) for pair in enumerate(voters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = election.envelopes().count()
    assert outcomes == ["ok"] * len(voters) and stored == len(voters)
    services.do_close(election=election, user=admin_a)
    assert counting.database_profiles(election) == counting.recount_profiles(election)
    assert sum(counting.database_profiles(election)[str(candidates["Bancs"].pk)]) == stored


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_discard_closed_votes")
def test_ballot_boxes_counted_while_people_vote_are_all_counted_once(election, candidates, org_a, admin_a):
    from civitas.components.majority_judgment import paper
    from civitas.spaces.services import do_grant_role

    second = UserFactory(organization=org_a)
    do_grant_role(space=election.component.space, user=admin_a, person=second, role="admin")
    serials = paper.serials_of(paper.do_print_run(election=election, user=admin_a, copies=12))
    boxes = []
    for number in range(2):
        box = paper.do_create_batch(election=election, user=admin_a, label=f"Urne {number}", expected_count=6)
        for index, serial in enumerate(serials[number * 6 : number * 6 + 6]):
            data = _form(candidates, (index % 7, (index * 3) % 7, number))
            for person in (admin_a, second):
                paper.do_key_ballot(batch=box, user=person, serial=serial, data=data)
        boxes.append(box)
    voters = [UserFactory(organization=org_a) for _ in range(6)]
    barrier = threading.Barrier(len(boxes) + len(voters))
    outcomes = []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 - any failure is reported by the assertion below
            outcomes.append(f"error: {type(error).__name__}: {error}")
        finally:
            connection.close()

    actions = [lambda box=box: paper.do_count_batch(batch=box, user=admin_a) for box in boxes]
    actions += [
        lambda person=person, index=index: services.do_vote(
            election=election, user=person, data=_form(candidates, (6 - index % 7, index % 7, 3))
        )
        for index, person in enumerate(voters)
    ]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["ok"] * len(actions)
    assert election.envelopes().count() == 12 + 6
    services.do_close(election=election, user=admin_a)
    assert Ballot.objects.filter(election=election).count() == 12 + 6
    assert counting.database_profiles(election) == counting.recount_profiles(election)
