"""The checkout: add and remove projects within the budget, then confirm, once and for good."""

import pytest

from civitas.ballotbox.models import Envelope
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, BudgetParticipation, Order, OrderLine, Project
from civitas.testing.components import configure_component, set_vote_rules
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(budget, voter, *projects):
    for project in projects:
        services.do_add_project(budget=budget, user=voter, project=project)


def test_add_remove_and_remaining_budget(budget, projects, voter):
    _add(budget, voter, projects["Piste cyclable"], projects["Bancs"])
    summary = services.order_summary(budget, voter)
    assert summary.total == 800 and summary.remaining == 200
    services.do_remove_project(budget=budget, user=voter, project=projects["Bancs"])
    assert services.order_summary(budget, voter).remaining == 400
    with pytest.raises(services.BudgetError, match="not in your vote"):
        services.do_remove_project(budget=budget, user=voter, project=projects["Bancs"])


def test_a_project_that_would_go_over_the_budget_is_refused_and_nothing_changes(budget, projects, voter):
    _add(budget, voter, projects["Piste cyclable"], projects["Jardin partagé"])  # 900
    with pytest.raises(services.BudgetError, match="over the budget by 100"):
        services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    assert services.order_summary(budget, voter).total == 900
    _add(budget, voter, projects["Boîte à livres"])  # exactly 1000
    assert services.order_summary(budget, voter).remaining == 0


def test_confirming_is_final_and_leaves_only_that_the_account_voted(budget, projects, voter):
    _add(budget, voter, projects["Jardin partagé"], projects["Bancs"])
    receipt = services.do_checkout(budget=budget, user=voter)
    assert receipt.code and len(receipt.fingerprint) == 64
    assert receipt.project_ids == (projects["Jardin partagé"].pk, projects["Bancs"].pk)
    # The draft is gone: "this account voted", and an encrypted ballot nobody can pair with it.
    assert not Order.objects.exists() and not OrderLine.objects.exists()
    assert BudgetParticipation.objects.filter(budget=budget, user=voter).count() == 1
    [envelope] = Envelope.objects.filter(target=budget.ballot_ref)
    assert envelope.fingerprint == receipt.fingerprint
    assert services.order_summary(budget, voter).checked_out
    for attempt in (
        lambda: services.do_add_project(budget=budget, user=voter, project=projects["Piste cyclable"]),
        lambda: services.do_remove_project(budget=budget, user=voter, project=projects["Bancs"]),
        lambda: services.do_checkout(budget=budget, user=voter),
        lambda: services.do_choose_projects(
            budget=budget, user=voter, project_ids=[projects["Bancs"].pk], confirm=True
        ),
    ):
        with pytest.raises(services.BudgetError, match="already voted in this budget"):
            attempt()
    assert Envelope.objects.filter(target=budget.ballot_ref).count() == 1
    assert not Order.objects.exists()
    assert not hasattr(services, "do_cancel")


def test_an_empty_order_cannot_be_confirmed(budget, voter):
    with pytest.raises(services.BudgetError, match="at least one project"):
        services.do_checkout(budget=budget, user=voter)


def test_minimum_percent_rule(budget, projects, voter, admin_a):
    set_vote_rules(budget.component, admin_a, vote_rule="minimum_percent", minimum_percent=80)
    budget.refresh_from_db()
    _add(budget, voter, projects["Piste cyclable"], projects["Bancs"])  # 800 = 80 %: enough
    services.do_remove_project(budget=budget, user=voter, project=projects["Bancs"])  # 600
    with pytest.raises(services.BudgetError, match="at least 800"):
        services.do_checkout(budget=budget, user=voter)
    _add(budget, voter, projects["Bancs"])
    assert services.do_checkout(budget=budget, user=voter)


def test_project_count_rule(budget, projects, voter, admin_a):
    set_vote_rules(
        budget.component, admin_a, vote_rule="project_count", minimum_projects=2, maximum_projects=2
    )
    budget.refresh_from_db()
    _add(budget, voter, projects["Bancs"])
    with pytest.raises(services.BudgetError, match="at least 2 projects"):
        services.do_checkout(budget=budget, user=voter)
    _add(budget, voter, projects["Boîte à livres"])
    with pytest.raises(services.BudgetError, match="at most 2 projects"):
        services.do_add_project(budget=budget, user=voter, project=projects["Jardin partagé"])
    assert services.do_checkout(budget=budget, user=voter)


def test_vote_in_one_budget_only(budget, projects, voter, admin_a):
    set_vote_rules(budget.component, admin_a, vote_scope="one")
    other = Budget.objects.create(component=budget.component, title="Quartier nord", total=500)
    square = Project.objects.create(budget=other, title="Square", amount=400)
    _add(budget, voter, projects["Bancs"])
    _add(other, voter, square)  # a draft in the other budget, never confirmed
    services.do_checkout(budget=budget, user=voter)
    with pytest.raises(services.BudgetError, match="Centre-ville"):
        services.do_add_project(budget=other, user=voter, project=square)
    with pytest.raises(services.BudgetError, match="Centre-ville"):
        services.do_checkout(budget=other, user=voter)
    assert list(BudgetParticipation.objects.values_list("budget", flat=True)) == [budget.pk]
    assert not other.envelopes().exists()


def test_vote_in_all_budgets(budget, projects, voter):
    other = Budget.objects.create(component=budget.component, title="Quartier nord", total=500)
    square = Project.objects.create(budget=other, title="Square", amount=400)
    _add(budget, voter, projects["Bancs"])
    services.do_checkout(budget=budget, user=voter)
    _add(other, voter, square)
    services.do_checkout(budget=other, user=voter)
    assert BudgetParticipation.objects.filter(user=voter).count() == 2
    assert Envelope.objects.count() == 2


def test_a_project_of_another_budget_cannot_be_added(budget, voter):
    other = Budget.objects.create(component=budget.component, title="Quartier nord", total=5000)
    square = Project.objects.create(budget=other, title="Square", amount=400)
    with pytest.raises(services.BudgetError, match="not part of this budget"):
        services.do_add_project(budget=budget, user=voter, project=square)


def test_no_vote_when_the_phase_does_not_allow_it(budget, projects, voter, admin_a):
    configure_component(budget.component, admin_a, voting_enabled=False)
    budget.refresh_from_db()
    with pytest.raises(services.BudgetError, match="not open"):
        services.do_add_project(budget=budget, user=voter, project=projects["Bancs"])
    assert not Order.objects.exists()


def test_checkout_through_the_pages(client_a, budget, projects, voter):
    client_a.force_login(voter)
    url = budget.get_absolute_url()
    page = client_a.get(url)
    assert page.status_code == 200 and "Piste cyclable" in page.text
    response = client_a.post(f"{url}projects/{projects['Piste cyclable'].pk}/add/")
    assert response.status_code == 302
    page = client_a.get(url)
    assert "400" in page.text  # remaining
    refused = client_a.post(f"{url}projects/{projects['Jardin partagé'].pk}/add/", follow=True)
    assert refused.status_code == 200
    client_a.post(f"{url}projects/{projects['Bancs'].pk}/add/")
    assert client_a.post(f"{url}checkout/").status_code == 302  # the box saying it is final, unticked
    assert not BudgetParticipation.objects.exists()
    confirmed = client_a.post(f"{url}checkout/", {"confirm_final": "1"})
    assert confirmed.status_code == 200
    receipt = confirmed.context["receipt"]
    assert receipt.code in confirmed.text and receipt.fingerprint in confirmed.text
    assert "Piste cyclable" in confirmed.text and "Jardin partagé" in confirmed.text
    # Shown once: no cache, no referrer, nothing in the session.
    assert "no-store" in confirmed["Cache-Control"] and confirmed["Referrer-Policy"] == "no-referrer"
    assert receipt.code not in str(dict(client_a.session))
    assert BudgetParticipation.objects.filter(user=voter).exists() and not Order.objects.exists()
    page = client_a.get(url)
    assert "Cancel my vote" not in page.text and "/cancel/" not in page.text
    assert client_a.post(f"{url}cancel/").status_code == 404
    assert BudgetParticipation.objects.filter(user=voter).exists()


def test_the_pages_say_a_confirmed_vote_is_final_before_voting(client_a, budget, projects, voter, settings):
    client_a.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client_a.force_login(voter)
    url = budget.get_absolute_url()
    assert "A confirmed vote is final" in client_a.get(url).text  # beside the ballot form
    client_a.post(f"{url}projects/{projects['Bancs'].pk}/add/")
    project_page = client_a.get(projects["Bancs"].get_absolute_url()).text
    assert "A confirmed vote is final" in project_page and "Confirm my vote" in project_page  # basket


def test_visitors_must_log_in_and_other_tenants_see_nothing(client_a, client_b, budget, projects, org_b):
    url = budget.get_absolute_url()
    assert client_a.get(url).status_code == 200
    response = client_a.post(f"{url}projects/{projects['Bancs'].pk}/add/")
    assert response.status_code == 302 and "login" in response["Location"]
    stranger = UserFactory(organization=org_b)
    client_b.force_login(stranger)
    assert client_b.get(url).status_code == 404
    assert client_b.post(f"{url}projects/{projects['Bancs'].pk}/add/").status_code == 404
    assert not Order.objects.exists()


def test_project_page_shows_linked_proposals_and_comments(client_a, budget, projects):
    page = client_a.get(projects["Bancs"].get_absolute_url())
    assert page.status_code == 200
    assert "Bancs" in page.text


@pytest.mark.security("rate limits")
def test_a_script_hammering_the_vote_is_cut_off_and_changes_nothing(
    client_a, budget, projects, voter, settings
):
    settings.CIVITAS_RATE_LIMITS = {"vote": (None, "2/10m"), "basket": (None, "3/10m")}
    client_a.force_login(voter)
    url = budget.get_absolute_url()
    for title in ("Bancs", "Boîte à livres", "Jardin partagé"):
        assert client_a.post(f"{url}projects/{projects[title].pk}/add/").status_code == 302
    limited = client_a.post(f"{url}projects/{projects['Piste cyclable'].pk}/add/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    kept = [projects[title].pk for title in ("Bancs", "Boîte à livres", "Jardin partagé")]
    for _attempt in range(2):
        assert client_a.post(f"{url}vote/", {"project": kept, "intent": "save"}).status_code == 302
    refused = client_a.post(f"{url}checkout/", {"confirm_final": "1"})
    assert refused.status_code == 429
    order = Order.objects.get(user=voter)
    assert not BudgetParticipation.objects.exists() and not Envelope.objects.exists()
    assert sorted(order.projects.values_list("title", flat=True)) == [
        "Bancs",
        "Boîte à livres",
        "Jardin partagé",
    ]
