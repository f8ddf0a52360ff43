"""A resident votes in a participatory budget in Chromium, then follows the results' delivery."""

import re

import pytest
from playwright.sync_api import expect

from civitas.components.accountability.models import Result, Status
from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, BudgetBallot, BudgetParticipation, Project
from civitas.spaces.models import Tag
from civitas.testing.browser import assert_accessible, assert_receipt_code_readable, screenshot
from civitas.testing.components import configure_component
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_budgets_afterwards():
    """The flush between transactional tests must not meet sealed ballots: delete the budgets."""
    yield
    Budget.objects.all().delete()


@pytest.mark.usefixtures("_delete_budgets_afterwards")
def test_vote_in_a_budget_then_follow_the_results(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    lea = UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    space = published_space(commune, mayor, "Budget participatif 2027")
    component = published_component(space, mayor, "budgets", "Budget participatif", voting_enabled=True)
    budget = Budget.objects.create(component=component, title="Centre-ville", total=1000)
    for title, amount in [("Piste cyclable", 600), ("Jardin partagé", 300), ("Bancs", 200)]:
        Project.objects.create(budget=budget, title=title, amount=amount, description=f"<p>{title}</p>")
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(base + component.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Centre-ville").click()
    page.wait_for_url(base + budget.get_absolute_url())
    assert_accessible(page)
    # A project's own page puts it in the basket, one click at a time.
    page.get_by_role("link", name="Piste cyclable").click()
    page.get_by_role("button", name="Ajouter à mon vote Piste cyclable").click()
    expect(page.locator("#remaining")).to_contain_text("400")
    assert page.locator("#budget-spent").get_attribute("value") == "600"
    # The budget page is the whole ballot: the basket is already ticked.
    page.goto(base + budget.get_absolute_url())
    cycle_lane = page.get_by_label("Choisir « Piste cyclable » (600 €)")
    assert cycle_lane.is_checked()
    # Keyboard only: Space ticks, Enter on the button votes.
    for title, amount in (("Jardin partagé", 300), ("Bancs", 200)):
        page.get_by_label(f"Choisir « {title} » ({amount} €)").focus()
        page.keyboard.press("Space")
    # The running total follows the ticks without leaving the page, and says the budget is
    # exceeded before anything is sent.
    total = page.locator("#ballot-total")
    expect(total).to_contain_text(re.compile(r"1\s100\s€ choisis sur 1\s000\s€"))
    assert "dépassé de 100 €" in page.locator(".ballot-total-over").inner_text().replace(
        "\u202f", " "
    ).replace("\xa0", " ")
    screenshot(page, "budget-running-total-over")
    page.get_by_role("button", name="Vérifier mon vote").focus()
    page.keyboard.press("Enter")
    # 1,100 € of 1,000 €: the server refuses too, with the reason, the ticks kept, nothing stored.
    alert = page.locator("#ballot-error")
    alert.wait_for()
    assert "dépasserait le budget" in alert.inner_text()
    # The reason is where the eyes and the screen reader are, not a long scroll up.
    expect(alert).to_be_focused()
    assert page.get_by_label("Choisir « Bancs » (200 €)").is_checked()
    assert not BudgetParticipation.objects.filter(user=lea).exists() and not budget.envelopes().exists()
    assert_accessible(page)
    screenshot(page, "budget-checkout")
    page.get_by_label("Choisir « Bancs » (200 €)").focus()
    page.keyboard.press("Space")
    expect(total).to_contain_text(re.compile(r"reste 100\s€"))
    expect(page.locator(".ballot-total-over")).to_be_hidden()
    page.get_by_role("button", name="Vérifier mon vote").focus()
    page.keyboard.press("Enter")
    # The review: the choice shown back, nothing stored yet; the page says a vote is final.
    page.get_by_role("heading", name="Vérifiez votre vote avant de l’envoyer").wait_for()
    review = page.locator(".vote-review").inner_text()
    assert "Piste cyclable" in review and "Jardin partagé" in review and "Bancs" not in review
    assert not BudgetParticipation.objects.filter(user=lea).exists() and not budget.envelopes().exists()
    assert "Un vote confirmé est définitif" in page.locator("#vote-is-final").inner_text()
    assert_accessible(page)
    screenshot(page, "budget-review")
    page.get_by_label("Je comprends que mon vote est définitif", exact=False).check()
    page.get_by_role("button", name="Voter", exact=True).focus()
    page.keyboard.press("Enter")
    page.locator("#receipt-code").wait_for()
    assert_accessible(page)
    code = assert_receipt_code_readable(page)
    fingerprint = page.locator("code.fingerprint").text_content().strip()  # in a closed <details>
    assert [envelope.fingerprint for envelope in budget.envelopes()] == [fingerprint]
    assert BudgetParticipation.objects.filter(user=lea, budget=budget).exists()
    screenshot(page, "budget-confirmed")
    page.goto(base + budget.get_absolute_url())
    assert "Vous avez voté dans ce budget" in page.locator("#basket-title + p").inner_text()
    assert page.get_by_role("button", name="Vérifier mon vote").count() == 0
    assert_accessible(page)

    services.do_close_vote(component=component, user=mayor)
    # Counted: its receipt is in the list kept apart, and the one ballot holds the choice.
    budget.refresh_from_db()
    assert services.find_receipt(budget, code) is True
    ballot = BudgetBallot.objects.get(budget=budget)
    titles = {str(project.pk): project.title for project in budget.projects.all()}
    assert sorted(titles[pk] for pk in ballot.payload["projects"]) == ["Jardin partagé", "Piste cyclable"]
    configure_component(component, mayor, voting_enabled=False, results_shown=True)
    page.goto(base + budget.get_absolute_url())
    assert page.get_by_role("heading", name="Résultats").count() == 1
    assert_accessible(page)

    follow_up = published_component(space, mayor, "accountability", "Suivi")
    delivered = Status.objects.create(component=follow_up, name="Livré", default_progress=100)
    programme = Result.objects.create(component=follow_up, title="Mobilités douces")
    programme.themes.add(Tag.objects.create(organization=commune, name="Transports"))
    Result.objects.create(component=follow_up, parent=programme, title="Piste cyclable", status=delivered)
    Result.objects.create(component=follow_up, parent=programme, title="Jardin partagé", progress=20)
    page.goto(base + follow_up.get_absolute_url())
    bars = page.locator("progress")
    assert bars.count() >= 3  # the space, the theme, the programme
    assert (
        page.locator("progress[aria-label='Progression de Mobilités douces']").get_attribute("value") == "60"
    )
    assert_accessible(page)
    screenshot(page, "accountability-progress")
    page.get_by_role("link", name="Mobilités douces").click()
    page.get_by_role("heading", name="Sous-résultats").wait_for()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
