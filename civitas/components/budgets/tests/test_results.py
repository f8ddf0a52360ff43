"""Closing seals the confirmed orders as anonymous ballots; results come from the sealed tally."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from civitas import recount
from civitas.ballotbox.services import iter_published, verify
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, BudgetBallot, Order, OrderLine
from civitas.components.budgets.results import budget_results
from civitas.sealing.published import read_published
from civitas.sealing.receipts import receipt_hash
from civitas.testing.components import configure_component, set_vote_rules
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _vote(budget, user, *projects):
    for project in projects:
        services.do_add_project(budget=budget, user=user, project=project)
    return services.do_checkout(budget=budget, user=user)


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


def test_closing_turns_confirmed_orders_into_sealed_anonymous_ballots(budget, projects, voted, admin_a):
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
    # The orders now say only who voted, no longer what: the ballots cannot be paired with accounts.
    confirmed = Order.objects.filter(budget=budget, checked_out_at__isnull=False)
    assert confirmed.count() == 5
    assert not OrderLine.objects.filter(order__budget=budget).exists()
    assert set(confirmed.values_list("receipt_hash", flat=True)) == {""}


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
    first = Order.objects.filter(budget=budget, checked_out_at__isnull=False).first()
    with pytest.raises(services.BudgetError, match="closed"):
        services.do_cancel(budget=budget, user=first.user)
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
    # header, 5 ballots, 5 receipts listed apart (inclusion mode), footer
    assert b"".join(download.streaming_content).count(b"\n") == 12
    configure_component(budget.component, admin_a, results_shown=False)
    assert client_a.get(url).context["results"] is None


def test_receipt_check_before_and_after_closing(client_a, budget, voted, admin_a):
    url = f"{budget.get_absolute_url()}check/"
    assert client_a.get(url).status_code == 200
    before = client_a.post(url, {"code": voted[0].lower()})
    assert before.context["match"] is not None and before.context["match"].ballot_id is None
    assert client_a.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"}).context["match"] is None
    assert client_a.post(url, {"code": "not a code"}).context["match"] is None
    services.do_close_vote(component=budget.component, user=admin_a)
    after = client_a.post(url, {"code": voted[0]})
    ballot = BudgetBallot.objects.get(
        budget=budget, receipt_hash=after.context["match"] and receipt_hash(voted[0])
    )
    assert after.context["match"].ballot_id == str(ballot.id)


@pytest.mark.django_db(transaction=True)
def test_closing_computes_equal_shares_outside_its_transaction(
    budget, projects, admin_a, request, monkeypatch
):
    """A long write transaction would stop every other write of a SQLite site meanwhile."""
    from django.db import connection

    from civitas.voting import budget_rules

    set_vote_rules(budget.component, admin_a, winner_rule="equal_shares")
    request.getfixturevalue("voted")
    budget_rules._equal_shares_of.cache_clear()
    inside_a_transaction = []
    method = budget_rules._run_equal_shares

    def spy(*args, **kwargs):
        inside_a_transaction.append(connection.in_atomic_block)
        return method(*args, **kwargs)

    monkeypatch.setattr(budget_rules, "_run_equal_shares", spy)
    services.do_close_vote(component=budget.component, user=admin_a)
    # The end of a transactional test truncates every table; the freeze triggers let a
    # closed vote's ballots go only once it is marked discarded.
    request.addfinalizer(lambda: Budget.objects.update(discarded_at=timezone.now()))
    budget.refresh_from_db()
    assert inside_a_transaction and not any(inside_a_transaction)
    assert budget.tally["rule"] == "equal_shares" and verify(budget) == []
    assert (
        budget.tally["winners"]
        == budget_rules.equal_shares(
            [budget_rules.Project(str(p.pk), p.amount) for p in projects.values()],
            [ballot.payload["projects"] for ballot in budget.ballots.all()],
            budget.total,
        ).winners
    )
