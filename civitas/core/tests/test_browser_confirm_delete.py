"""A one-click delete button leads to a page that asks first, in Chromium, on a phone and a desk."""

import pytest
from playwright.sync_api import expect

from civitas.components.majority_judgment import paper
from civitas.components.majority_judgment.models import Candidate, Election, PaperKeying
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _delete_elections_afterwards():
    """The flush between transactional tests must not meet sealed ballots: delete the elections."""
    yield
    Election.objects.all().delete()


@pytest.mark.usefixtures("_delete_elections_afterwards")
@pytest.mark.parametrize("width", [390, 1280])
def test_deleting_a_paper_keying_asks_first_and_goes_back_or_deletes(live_server, page, width):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    space = published_space(commune, mayor, "Convention citoyenne")
    component = published_component(space, mayor, "majority_judgment", "Vote final", voting_enabled=True)
    election = Election.objects.get(component=component)
    bikes = Candidate.objects.create(election=election, title="Piste cyclable", position=0)
    election.component = component
    serial = paper.serials_of(paper.do_print_run(election=election, user=mayor, copies=1))[0]
    box = paper.do_create_batch(election=election, user=mayor, label="Urne de la mairie", expected_count=1)
    paper.do_key_ballot(batch=box, user=mayor, serial=serial, data={f"candidate-{bikes.pk}": "6"})
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    batch_url = (
        f"{base}/admin/spaces/{space.pk}/components/{component.pk}/majority_judgment/paper/batches/{box.pk}/"
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/**")

    page.goto(batch_url)
    page.get_by_role("button", name=f"Supprimer {serial}").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Supprimer « Saisie du bulletin {serial} » ?")
    assert "devra être saisi de nouveau" in page.content()
    assert PaperKeying.objects.filter(batch=box).count() == 1  # the click only asked
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    screenshot(page, f"confirm-delete-paper-keying-{width}")

    page.get_by_role("link", name="Annuler, garder").click()
    page.wait_for_url(batch_url)
    assert PaperKeying.objects.filter(batch=box).count() == 1

    page.get_by_role("button", name=f"Supprimer {serial}").click()
    confirm = page.get_by_role("button", name=f"Supprimer définitivement « Saisie du bulletin {serial} »")
    confirm.click()  # the box is not ticked: the browser refuses, nothing is sent
    expect(confirm).to_be_visible()
    assert PaperKeying.objects.filter(batch=box).count() == 1
    page.get_by_label("Je comprends que c’est irréversible.").check()
    confirm.click()
    page.wait_for_url(batch_url)
    assert not PaperKeying.objects.filter(batch=box).exists()
