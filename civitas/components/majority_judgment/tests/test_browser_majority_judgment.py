"""A resident grades every candidate in Chromium, keeps the receipt, then reads the results."""

import pytest

from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.models import Ballot, Candidate, Election
from civitas.sealing.receipts import receipt_hash
from civitas.testing.ballots import opened_record
from civitas.testing.browser import assert_accessible, assert_receipt_code_readable, screenshot
from civitas.testing.components import configure_component
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_elections_afterwards():
    """The flush between transactional tests must not meet sealed ballots: delete the elections."""
    yield
    Election.objects.all().delete()


@pytest.mark.usefixtures("_delete_elections_afterwards")
def test_vote_by_majority_judgment_then_read_the_results(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    space = published_space(commune, mayor, "Convention citoyenne")
    component = published_component(space, mayor, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=component)
    for position, title in enumerate(["Piste cyclable", "Jardin partagé", "Bancs"]):
        Candidate.objects.create(election=election, title=title, position=position)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(base + component.get_absolute_url())
    assert page.get_by_text("compte comme « À rejeter »").count() == 1
    assert_accessible(page)
    page.get_by_role("group", name="Piste cyclable").get_by_label("Excellent").check()
    # Keyboard: a focused grade is chosen with the space bar.
    garden = page.get_by_role("group", name="Jardin partagé")
    garden.get_by_label("Bien", exact=True).focus()
    page.keyboard.press("Space")
    # "Bancs" stays ungraded: it counts as the lowest grade.
    screenshot(page, "majority-judgment-ballot")
    page.get_by_role("button", name="Vérifier mon bulletin").click()
    page.get_by_role("button", name="Voter").click()
    page.locator("#receipt-code").wait_for()
    assert_accessible(page)
    code = assert_receipt_code_readable(page)
    assert not Ballot.objects.exists()  # only an encrypted envelope until closing
    ballot = opened_record(election)
    assert ballot.receipt_hash == receipt_hash(code)
    grades = {Candidate.objects.get(pk=pk).title: grade for pk, grade in ballot.payload["grades"].items()}
    assert grades == {"Piste cyclable": 6, "Jardin partagé": 4, "Bancs": 0}

    election.component = component
    services.do_close(election=election, user=mayor)
    configure_component(component, mayor, voting_enabled=False, results_shown=True)
    page.goto(base + component.get_absolute_url())
    assert page.get_by_role("heading", name="Résultats").count() == 1
    first = page.locator("#mj-result-1")
    assert "Piste cyclable" in first.inner_text() and "Excellent" in first.inner_text()
    assert page.get_by_role("img", name="Profil de mérite de « Piste cyclable »").count() == 1
    assert_accessible(page)
    screenshot(page, "majority-judgment-results")
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
