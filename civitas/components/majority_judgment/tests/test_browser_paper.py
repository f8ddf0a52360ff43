"""Two admins key a paper ballot in Chromium, with the keyboard, then count the box."""

import pytest

from civitas.components.majority_judgment import paper
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.spaces.services import do_grant_role
from civitas.testing.ballots import opened_record
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_elections_afterwards():
    """The flush between transactional tests must not meet sealed ballots: delete the elections."""
    yield
    Election.objects.all().delete()


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/**")


@pytest.mark.usefixtures("_delete_elections_afterwards")
def test_two_admins_key_a_paper_ballot_and_count_the_box(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    clerk = UserFactory(organization=commune, email="greffe@a.test", nickname="greffe")
    space = published_space(commune, mayor, "Convention citoyenne")
    do_grant_role(space=space, user=mayor, person=clerk, role="admin")
    component = published_component(space, mayor, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=component)
    for position, title in enumerate(["Piste cyclable", "Bancs"]):
        Candidate.objects.create(election=election, title=title, position=position)
    election.component = component
    serial = paper.serials_of(paper.do_print_run(election=election, user=mayor, copies=1))[0]
    box = paper.do_create_batch(election=election, user=mayor, label="Urne de la mairie", expected_count=1)
    paper.do_key_ballot(
        batch=box, user=mayor, serial=serial, data={f"candidate-{election.candidates.first().pk}": "6"}
    )
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    url = (
        f"{base}/admin/spaces/{space.pk}/components/{component.pk}/majority_judgment/paper/batches/{box.pk}/"
    )

    _log_in(page, base, "greffe@a.test")
    page.goto(url)
    assert_accessible(page)
    # A mistyped serial: an error summary, the field marked, nothing stored.
    page.get_by_label("Numéro de série imprimé sur le bulletin").fill(
        serial[:-1] + ("0" if serial[-1] != "0" else "1")
    )
    page.keyboard.press("Enter")
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    # The same ballot keyed differently: listed as a difference, then resolved.
    page.get_by_label("Numéro de série imprimé sur le bulletin").fill(serial)
    page.get_by_role("group", name="Piste cyclable").get_by_label("Bien", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer le bulletin").click()
    page.get_by_role("heading", name="Bulletins pas encore concordants").wait_for()
    assert_accessible(page)
    screenshot(page, "majority-judgment-paper-difference")
    page.get_by_role("button", name="Garder les mentions saisies par").first.click()
    page.get_by_role("button", name="Compter cette urne").click()
    page.get_by_text("1 bulletin papier ajouté").first.wait_for()
    assert_accessible(page)
    ballot = opened_record(election)
    assert ballot.channel == "paper" and ballot.receipt_hash is None
