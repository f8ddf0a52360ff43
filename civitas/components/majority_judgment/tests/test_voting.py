"""Casting, closing, sealing and results of a majority-judgment vote (services)."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.ballotbox.models import Envelope
from civitas.ballotbox.services import iter_published, verify
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.models import Ballot, Participation
from civitas.components.majority_judgment.results import election_results
from civitas.recount import recount
from civitas.sealing import read_published
from civitas.testing.ballots import opened_record
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def form(candidates, **grades):
    return {f"candidate-{candidates[title].pk}": str(grade) for title, grade in grades.items()}


def grades_of(candidates, piste, jardin, bancs):
    return {
        f"candidate-{candidates['Piste cyclable'].pk}": str(piste),
        f"candidate-{candidates['Jardin partagé'].pk}": str(jardin),
        f"candidate-{candidates['Bancs'].pk}": str(bancs),
    }


def test_a_ballot_is_anonymous_with_a_receipt_and_ungraded_counts_as_the_lowest(
    election, candidates, voter, admin_a
):
    code = services.do_vote(election=election, user=voter, data=form(candidates, **{"Bancs": 6})).code
    # While open, the ballot is only a ciphertext: no receipt can be looked up yet.
    assert services.find_receipt(election, code) is None
    assert opened_record(election).payload == {
        "grades": {
            str(candidates["Piste cyclable"].pk): 0,
            str(candidates["Jardin partagé"].pk): 0,
            str(candidates["Bancs"].pk): 6,
        }
    }
    services.do_close(election=election, user=admin_a)
    ballot = Ballot.objects.get(election=election)
    assert election.published_receipt_mode == "inclusion"
    # Counted, and that is all: the receipt is kept apart from the ballots, leading to none.
    assert services.find_receipt(election, code) is True
    assert ballot.receipt_hash is None
    assert services.find_receipt(election, "AAAA-AAAA-AAAA-AAAA") is None
    # The ballot names nobody; the participation says only that the account voted.
    assert not {field.name for field in Ballot._meta.fields} & {"user", "created_at"}
    assert Participation.objects.filter(election=election, user=voter).count() == 1


def test_one_ballot_per_account(election, candidates, voter):
    services.do_vote(election=election, user=voter, data=grades_of(candidates, 6, 5, 4))
    with pytest.raises(services.VoteError, match="already voted"):
        services.do_vote(election=election, user=voter, data=grades_of(candidates, 0, 0, 0))
    assert election.envelopes().count() == 1


@pytest.mark.parametrize("bad", ["7", "-1", "bien", "3.5"])
def test_a_grade_outside_the_scale_stores_nothing(election, candidates, voter, bad):
    data = grades_of(candidates, 6, 5, 4) | {f"candidate-{candidates['Bancs'].pk}": bad}
    with pytest.raises(services.VoteError, match="not one of the grades"):
        services.do_vote(election=election, user=voter, data=data)
    assert not Envelope.objects.exists() and not Participation.objects.exists()


def test_voting_respects_the_dates_the_phase_and_the_closing(election, candidates, voter, admin_a):
    election.opens_at = timezone.now() + datetime.timedelta(days=1)
    election.save()
    assert services.check_can_vote(election, voter) == "This vote is not open at this time."
    election.opens_at, election.closes_at = None, timezone.now() - datetime.timedelta(minutes=1)
    election.save()
    assert services.check_can_vote(election, voter) == "This vote is not open at this time."
    election.closes_at = None
    election.save()
    assert services.check_can_vote(election, voter) is None
    outsider = UserFactory()  # another organization
    assert "may not take part" in services.check_can_vote(election, outsider)
    services.do_close(election=election, user=admin_a)
    with pytest.raises(services.VoteError, match="closed"):
        services.do_vote(election=election, user=voter, data=grades_of(candidates, 6, 5, 4))


def _vote_many(election, candidates, org, rows):
    for index, row in enumerate(rows):
        user = UserFactory(organization=org, nickname=f"v{index}")
        services.do_vote(election=election, user=user, data=grades_of(candidates, *row))


def test_closing_seals_and_ranks_by_majority_grade(election, candidates, admin_a, org_a):
    # Piste 6,5,5,1 → sorted 1,5,5,6, lower median 5 (Très bien… grade 5 = "Très bien").
    # Jardin 5,5,4,6 → 4,5,5,6 → 5, then position 2: Piste 5 = Jardin 5, position 0: 1 < 4.
    # Bancs 0,2,3,1 → 0,1,2,3 → 1.
    _vote_many(election, candidates, org_a, [(6, 5, 0), (5, 5, 2), (5, 4, 3), (1, 6, 1)])
    services.do_close(election=election, user=admin_a)
    assert verify(election) == []
    results = election_results(election)
    assert results.ballots == 4
    assert [(line.title, line.rank, line.majority_grade_name) for line in results.lines] == [
        ("Jardin partagé", 1, "Très bien"),
        ("Piste cyclable", 2, "Très bien"),
        ("Bancs", 3, "Insuffisant"),
    ]
    jardin = results.lines[0]
    assert jardin.counts_highest_first == [1, 2, 1, 0, 0, 0, 0]
    assert [segment["width"] for segment in jardin.segments][:3] == [25.0, 50.0, 25.0]
    entry = ActionLogEntry.objects.filter(action="majority_judgment.close").get()
    assert entry.after["ballots"] == 4


def test_the_published_file_recounts_to_the_same_ranking(election, candidates, admin_a, org_a):
    _vote_many(election, candidates, org_a, [(6, 0, 3), (2, 2, 2)])
    services.do_close(election=election, user=admin_a)
    published = read_published("".join(iter_published(election)).splitlines())
    assert published.kind == "majority_judgment"
    report = recount(published)
    assert report.ok, report.mismatches
    assert report.seal == election.seal


def test_sealed_ballots_cannot_change(election, candidates, voter, admin_a):
    services.do_vote(election=election, user=voter, data=grades_of(candidates, 6, 5, 4))
    services.do_close(election=election, user=admin_a)
    with pytest.raises(IntegrityError):
        Ballot.objects.filter(election=election).update(payload={"grades": {}})


def test_the_database_count_gives_the_sealed_profiles(election, candidates, admin_a, org_a):
    from civitas.components.majority_judgment.counting import database_profiles

    _vote_many(election, candidates, org_a, [(6, 5, 0), (5, 5, 2), (5, 4, 3), (1, 6, 1)])
    # A ballot that grades only one candidate: the others count as the lowest grade.
    services.do_vote(election=election, user=UserFactory(organization=org_a), data=form(candidates, Bancs=3))
    services.do_close(election=election, user=admin_a)
    assert database_profiles(election) == election.tally["profiles"]
