"""In Chromium: the admin requires a letter code to support proposals and prints the letters;
a resident is blocked, verifies with the code, comes back and supports."""

import re

import pytest

from civitas.authorizations.models import ActionRequirement, Authorization
from civitas.components.proposals import services as proposals
from civitas.components.proposals.models import Support
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
ADDRESSES = (
    "nom;adresse;complement;code_postal;ville;quartier\n"
    "Léa Moreau;8 rue des Tilleuls;Bâtiment B;38000;Grenoble;Île Verte\n"
    "Marc Petit;21 cours Berriat;;38000;Grenoble;Berriat\n"
)


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def _both_widths(page, name):
    for size, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        assert_accessible(page)
        screenshot(page, f"{name}-{suffix}")
    page.set_viewport_size(DESKTOP)


def test_blocked_resident_verifies_with_a_letter_code_and_supports(live_server, browser, page, tmp_path):
    commune = OrganizationFactory(name="Ville de Grenoble", host="commune-a.test")
    mayor = UserFactory(organization=commune, email="maire@a.test", is_organization_admin=True)
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    author = UserFactory(organization=commune)
    space = published_space(commune, mayor, "Budget participatif 2027")
    ideas = published_component(space, mayor, "proposals", "Idées", creation_enabled=True, supports="enabled")
    proposal = proposals.do_create_draft(
        user=author, component=ideas, title="Des bancs au jardin de Ville", body="<p>Pour s’asseoir.</p>"
    )
    proposals.do_publish(proposal=proposal, user=author)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    # The admin requires a letter code to support proposals, in every phase.
    page.set_viewport_size(DESKTOP)
    _log_in(page, base, "maire@a.test")
    page.goto(f"{base}/admin/spaces/{space.pk}/components/{ideas.pk}/")
    page.get_by_role("link", name="Vérifications").click()
    page.locator('input[name="support-all-handlers"][value="letter"]').check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les vérifications sont enregistrées.").wait_for()
    assert ActionRequirement.objects.filter(component=ideas, action="support", handler="letter").exists()
    _both_widths(page, "verifications-admin")

    # …and prints the letters: one per address, each with its code.
    page.get_by_role("link", name="Courriers avec code").first.click()
    addresses = tmp_path / "adresses.csv"
    addresses.write_text(ADDRESSES, encoding="utf-8")
    page.get_by_label("Adresses (CSV)").set_input_files(str(addresses))
    page.get_by_role("button", name="Générer les courriers").click()
    page.get_by_text("2 courriers, un par page.").wait_for()
    assert page.locator("article.letter").count() == 2
    code = page.locator("article.letter").first.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    _both_widths(page, "letters-print")

    # The resident is blocked: the support button leads to the verification page.
    resident = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    resident.set_default_timeout(10_000)
    _log_in(resident, base, "lea@a.test")
    resident.goto(base + proposal.get_absolute_url())
    assert resident.get_by_role("button", name=re.compile("^Soutenir")).count() == 0
    resident.get_by_text("« Soutenir une proposition » est réservé aux participants vérifiés.").wait_for()
    _both_widths(resident, "verification-blocked-proposal")
    resident.get_by_role("link", name="Vérifier mon compte pour participer").click()
    resident.get_by_role("heading", name="Vérification nécessaire").wait_for()
    _both_widths(resident, "verification-required")

    # A wrong code first, then the right one.
    resident.get_by_role("link", name="Vérifier : Code reçu par courrier à domicile").click()
    resident.get_by_label("Code imprimé sur le courrier").fill("2345-6789-ABCD")
    resident.get_by_role("button", name="Vérifier mon compte").click()
    resident.get_by_text("Ce code n’est pas valable.").wait_for()
    _both_widths(resident, "verification-letter-code")
    resident.get_by_label("Code imprimé sur le courrier").fill(code.lower())
    resident.get_by_role("button", name="Vérifier mon compte").click()

    # Back on the proposal, the resident supports it.
    resident.wait_for_url(base + proposal.get_absolute_url())
    assert Authorization.objects.get(user__email="lea@a.test").district == "Île Verte"
    resident.get_by_role("button", name=re.compile("^Soutenir")).click()
    resident.get_by_text("Merci pour votre soutien.").wait_for()
    assert Support.objects.filter(proposal=proposal, user__email="lea@a.test").exists()
    resident.context.close()
