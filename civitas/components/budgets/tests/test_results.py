"""Closing opens the encrypted ballots into sealed anonymous records; results come from the sealed tally."""

import io

import pytest
from django.db import IntegrityError, transaction

from civitas import recount
from civitas.ballotbox.services import iter_published, verify
from civitas.components.budgets import services
from civitas.components.budgets.models import (
    Budget,
    BudgetBallot,
    BudgetParticipation,
    Order,
    OrderLine,
    Project,
)
from civitas.components.budgets.results import budget_results
from civitas.sealing.published import read_published
from civitas.sealing.receipts import receipt_hash
from civitas.testing.ballots import trustee_key_files
from civitas.testing.components import configure_component, set_vote_rules
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _vote(budget, user, *projects) -> str:
    for project in projects:
        services.do_add_project(budget=budget, user=user, project=project)
    return services.do_checkout(budget=budget, user=user).code


@pytest.fixture
def voted(budget, projects, org_a):
    """Five votes: the cycle path gets 3, the garden 3, benches 2, the book box 2; one unconfirmed order."""
    p = projects
    codes = []
    for nickname, choice in [
        ("v1", [p["Piste cyclable"], p["Boîte à livres"]]),
        ("v2", [p["Piste cyclable"], p["Jardin partagé"]]),
        ("v3", [p["Piste cyclable"], p["Bancs"]]),
        ("v4", [p["Jardin partagé"], p["Bancs"], p["Boîte à livres"]]),
        ("v5", [p["Jardin partagé"]]),
    ]:
        codes.append(_vote(budget, UserFactory(organization=org_a, nickname=nickname), *choice))
    services.do_add_project(
        budget=budget, user=UserFactory(organization=org_a, nickname="v6"), project=p["Bancs"]
    )
    return codes


def test_closing_opens_the_encrypted_ballots_into_sealed_anonymous_records(budget, projects, voted, admin_a):
    # While the vote is open, nothing in clear: five encrypted ballots, five participations.
    assert budget.ballot_count() == 5 and not BudgetBallot.objects.exists()
    assert BudgetParticipation.objects.filter(budget=budget).count() == 5
    services.do_close_vote(component=budget.component, user=admin_a)
    budget.refresh_from_db()
    assert budget.is_frozen and len(budget.seal) == 64
    assert BudgetBallot.objects.filter(budget=budget).count() == 5  # the unconfirmed order is not counted
    assert budget.tally["votes"] == {
        str(projects["Piste cyclable"].pk): 3,
        str(projects["Jardin partagé"].pk): 3,
        str(projects["Bancs"].pk): 2,
        str(projects["Boîte à livres"].pk): 2,
    }
    # Greedy: cycle path (600) and garden (300) tie on 3 votes, the garden costs less and goes first;
    # then the cycle path (900 spent); benches (200) no longer fit, the book box (100) does.
    results = budget_results(budget)
    assert [line.project.title for line in results.winners] == [
        "Jardin partagé",
        "Piste cyclable",
        "Boîte à livres",
    ]
    assert results.spent == 1000 and results.ballots == 5
    assert verify(budget) == []
    assert {"user", "user_id"}.isdisjoint({field.name for field in BudgetBallot._meta.get_fields()})
    # Only "who voted" remains beside the accounts; the draft never confirmed is gone.
    assert BudgetParticipation.objects.filter(budget=budget).count() == 5
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert budget.key_salt == ""  # the platform key of this vote can never be derived again


def test_the_published_file_recounts_and_finds_a_receipt(budget, voted, admin_a, client_a):
    services.do_close_vote(component=budget.component, user=admin_a)
    budget.refresh_from_db()
    text = "".join(iter_published(budget))
    report = recount.recount(read_published(io.StringIO(text)), receipt=voted[2])
    # A vote proves inclusion only: the receipt is counted, no record is named.
    assert report.ok and report.records == 5 and report.receipt_counted and not report.receipt_found
    tampered = text.replace('"projects":["', '"projects":["9', 1)
    assert not recount.recount(read_published(io.StringIO(tampered))).ok


def test_after_closing_nothing_changes(budget, projects, voted, admin_a, org_a):
    services.do_close_vote(component=budget.component, user=admin_a)
    budget.refresh_from_db()
    late = UserFactory(organization=org_a, nickname="late")
    with pytest.raises(services.BudgetError, match="closed"):
        services.do_add_project(budget=budget, user=late, project=projects["Bancs"])
    first = BudgetParticipation.objects.filter(budget=budget).first()
    with pytest.raises(services.BudgetError, match="closed"):
        services.do_checkout(budget=budget, user=first.user)
    with pytest.raises(services.BudgetError, match="no open budget"):
        services.do_close_vote(component=budget.component, user=admin_a)
    ballot = BudgetBallot.objects.filter(budget=budget).first()
    ballot.payload = {"projects": []}
    with pytest.raises(IntegrityError), transaction.atomic():
        ballot.save()


def test_equal_shares_winners_when_the_component_asks_for_them(budget, projects, admin_a, request):
    set_vote_rules(budget.component, admin_a, winner_rule="equal_shares")  # before anyone votes
    budget.refresh_from_db()
    request.getfixturevalue("voted")
    services.do_close_vote(component=budget.component, user=admin_a)
    budget.refresh_from_db()
    assert budget.tally["rule"] == "equal_shares"
    assert budget.tally["spent"] <= 1000
    assert "/" in budget.tally["per_voter_share"]
    assert verify(budget) == []


def test_results_are_shown_only_once_closed_and_switched_on(client_a, budget, voted, admin_a):
    url = budget.get_absolute_url()
    configure_component(budget.component, admin_a, voting_enabled=False, results_shown=True)
    assert "Votes per project" not in client_a.get(url).text.replace("Votes par projet", "Votes per project")
    assert client_a.get(f"{url}sealed.jsonl").status_code == 404
    services.do_close_vote(component=budget.component, user=admin_a)
    page = client_a.get(url)
    assert page.context["results"] is not None
    assert page.context["results"].ballots == 5
    download = client_a.get(f"{url}sealed.jsonl")
    assert download.status_code == 200
    lines = b"".join(download.streaming_content).decode().splitlines()
    # header, 5 ballots, 5 receipts listed apart (inclusion mode), 5 envelope
    # fingerprints (one per encrypted ballot as cast), footer
    assert len(lines) == 17
    envelopes = [line for line in lines if line.startswith('{"envelope":')]
    assert len(envelopes) == 5 == len(set(envelopes))
    configure_component(budget.component, admin_a, results_shown=False)
    assert client_a.get(url).context["results"] is None


def test_receipt_check_before_and_after_closing(client_a, budget, voted, admin_a, settings):
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = f"{budget.get_absolute_url()}check/"
    assert client_a.get(url).status_code == 200
    # Before closing the receipts are inside the encrypted ballots: nothing can be found.
    before = client_a.post(url, {"code": voted[0].lower()})
    assert before.context["match"] is None and "encrypted until the vote closes" in before.text
    services.do_close_vote(component=budget.component, user=admin_a)
    assert client_a.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"}).context["match"] is None
    assert client_a.post(url, {"code": "not a code"}).context["match"] is None
    after = client_a.post(url, {"code": voted[0].lower()})
    ballot = BudgetBallot.objects.get(
        budget=budget, receipt_hash=after.context["match"] and receipt_hash(voted[0])
    )
    assert after.context["match"].ballot_id == str(ballot.id)


def test_trustee_keys_are_given_per_budget_and_a_wrong_one_closes_nothing(budget, projects, admin_a, org_a):
    north = Budget.objects.create(component=budget.component, title="Quartier nord", total=500)
    square = Project.objects.create(budget=north, title="Square", amount=400)
    [bailiff] = trustee_key_files(budget, ["Huissier"])
    [councillor] = trustee_key_files(north, ["Conseillère"])
    code = _vote(budget, UserFactory(organization=org_a), projects["Bancs"])
    _vote(north, UserFactory(organization=org_a), square)
    component = budget.component

    for wrong, problem in (
        (None, "Huissier"),  # missing
        ({budget.pk: [councillor], north.pk: [councillor]}, "another vote"),
        ({budget.pk: [bailiff[:40]], north.pk: [councillor]}, "Huissier"),  # truncated
    ):
        with pytest.raises(services.BudgetError, match=problem):
            services.do_close_vote(component=component, user=admin_a, trustee_keys=wrong)
        # Nothing closed, not even the budget whose key was right.
        assert not Budget.objects.filter(frozen_at__isnull=False).exists()
        assert not BudgetBallot.objects.exists() and budget.envelopes().count() == 1

    right = {budget.pk: [bailiff], north.pk: [councillor]}
    services.do_close_vote(component=component, user=admin_a, trustee_keys=right)
    assert BudgetBallot.objects.get(budget=budget, receipt_hash=receipt_hash(code)).payload == {
        "projects": [str(projects["Bancs"].pk)]
    }
    assert BudgetBallot.objects.get(budget=north).payload == {"projects": [str(square.pk)]}


def test_a_budget_whose_trustees_have_no_keys_yet_takes_no_ballot(budget, projects, voter):
    Budget.objects.filter(pk=budget.pk).update(key_mode="trustees")
    budget.refresh_from_db()
    services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    with pytest.raises(services.BudgetError, match="trustees have not all registered their counting keys"):
        services.do_checkout(budget=budget, user=voter)
    assert not BudgetParticipation.objects.exists() and not budget.envelopes().exists()
    assert list(Order.objects.get(user=voter).projects.all()) == [projects["Bancs"]]


def test_closing_deletes_the_drafts_never_confirmed(budget, voted, admin_a):
    assert Order.objects.filter(budget=budget).count() == 1  # v6 started, never voted
    services.do_close_vote(component=budget.component, user=admin_a)
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert BudgetParticipation.objects.filter(budget=budget).count() == 5
