"""In Chromium: two people write a draft together, one meets the edit conflict and merges by
hand, and they publish it as a proposal signed by both; a third person amends it and its
author accepts; at 1366 and 390 px, checked by axe."""

import pytest
from playwright.sync_api import expect

from civitas.components.proposals.models import CollaborativeDraft
from civitas.testing.browser import assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/**")


def _both_widths(page, name):
    page.set_viewport_size(DESKTOP)
    assert_accessible(page)
    screenshot(page, f"{name}-1366")
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    screenshot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)


def test_two_people_write_a_draft_together_and_publish_it(live_server, browser):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test")
    UserFactory(organization=commune, email="ines@a.test", nickname="ines", name="Inès Morel")
    UserFactory(organization=commune, email="omar@a.test", nickname="omar", name="Omar Benali")
    UserFactory(organization=commune, email="lea@a.test", nickname="lea", name="Léa Durand")
    space = published_space(commune, mayor, "Convention citoyenne étudiante")
    component = published_component(
        space,
        mayor,
        "proposals",
        "Propositions de la convention",
        collaborative_drafts_enabled=True,
        amendments_enabled=True,
    )
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    contexts = [browser.new_context(viewport=DESKTOP, locale="fr-FR") for _ in range(3)]
    ines, omar, lea = (context.new_page() for context in contexts)
    for page in (ines, omar, lea):
        page.set_default_timeout(10_000)
    try:
        _log_in(ines, base, "ines@a.test")
        _log_in(omar, base, "omar@a.test")

        # Inès opens a draft from the drafts tab of the proposals.
        ines.goto(f"{base}{component.get_absolute_url()}")
        ines.get_by_role("link", name="Brouillons collaboratifs").click()
        ines.get_by_role("link", name="Ouvrir un brouillon").click()
        ines.get_by_label("Titre").fill("Des repas végétariens chaque jour au restaurant universitaire")
        fill_rich_text(
            ines,
            "Texte",
            "<p>Le restaurant universitaire propose un plat végétarien chaque jour de la semaine.</p>",
        )
        ines.get_by_role("button", name="Ouvrir le brouillon").click()
        ines.get_by_role(
            "heading", name="Des repas végétariens chaque jour au restaurant universitaire"
        ).wait_for()
        draft = CollaborativeDraft.objects.get()
        draft_url = f"{base}{draft.get_absolute_url()}"

        # Omar asks to join; Inès accepts him.
        omar.goto(draft_url)
        omar.get_by_role("button", name="Demander à rédiger ce brouillon").click()
        omar.get_by_text("Votre demande est envoyée aux auteurs du brouillon.").wait_for()
        ines.goto(draft_url)
        ines.get_by_role("heading", name="Demandes pour rejoindre").wait_for()
        _both_widths(ines, "draft-with-a-request")
        ines.get_by_role("button", name="Accepter Omar Benali").click()
        ines.get_by_text("Omar Benali rédige désormais ce brouillon avec vous.").wait_for()

        # Both open the edit form on the same version; Inès saves first.
        for page in (ines, omar):
            page.goto(f"{draft_url}edit/")
            page.get_by_role("heading", name="Modifier le brouillon").wait_for()
        fill_rich_text(
            ines,
            "Texte",
            "<p>Le restaurant universitaire propose un plat végétarien chaque jour de la semaine, "
            "préparé avec des produits locaux.</p>",
        )
        ines.get_by_role("button", name="Enregistrer le brouillon").click()
        ines.get_by_text("Le brouillon est enregistré.").wait_for()

        # Omar's save is refused: he sees what Inès added and keeps his own words.
        fill_rich_text(
            omar,
            "Texte",
            "<p>Le restaurant universitaire propose un plat végétarien chaque jour de la semaine, "
            "au même prix que les autres plats.</p>",
        )
        omar.get_by_role("button", name="Enregistrer le brouillon").click()
        notice = omar.locator(".draft-conflict")
        notice.wait_for()
        assert "Inès Morel" in notice.inner_text()
        assert "préparé avec des produits locaux" in notice.locator("ins").inner_text()
        kept = omar.locator("[name=body]").input_value()
        assert "au même prix que les autres plats" in kept
        _both_widths(omar, "draft-edit-conflict")

        fill_rich_text(
            omar,
            "Texte",
            "<p>Le restaurant universitaire propose un plat végétarien chaque jour de la semaine, "
            "préparé avec des produits locaux et au même prix que les autres plats.</p>",
        )
        omar.get_by_role("button", name="Enregistrer le brouillon").click()
        omar.get_by_text("Le brouillon est enregistré.").wait_for()
        _both_widths(omar, "draft-detail")

        ines.goto(f"{base}{component.get_absolute_url()}drafts/")
        ines.get_by_role(
            "link", name="Des repas végétariens chaque jour au restaurant universitaire"
        ).wait_for()
        _both_widths(ines, "drafts-list")

        # Omar publishes it: a confirmation first, then the proposal signed by both.
        omar.goto(draft_url)
        omar.get_by_role("button", name="Publier comme proposition").click()
        omar.get_by_role("heading", name="Publier ce brouillon comme proposition ?").wait_for()
        _both_widths(omar, "draft-publish-confirm")
        omar.get_by_label("Je comprends que c’est irréversible.").check()
        omar.get_by_role("button", name="Publier comme proposition").click()
        omar.get_by_text("Le brouillon est publié comme proposition.").wait_for()
        byline = omar.locator(".author-row").inner_text()
        assert "Inès Morel" in byline and "Omar Benali" in byline
        assert "et des produits locaux" not in byline
        assert "préparé avec des produits locaux et au même prix" in omar.locator(".prose").first.inner_text()
        _both_widths(omar, "proposal-from-draft")
        proposal_url = omar.url

        # Léa, a third participant, amends the proposal; Inès, its author, accepts.
        _log_in(lea, base, "lea@a.test")
        lea.goto(proposal_url)
        lea.get_by_role("link", name="Amender cette proposition").click()
        lea.wait_for_url("**/amendments/new/**")  # the proposal page has a "Proposition" label too
        fill_rich_text(
            lea,
            "Proposition",
            "<p>Le restaurant universitaire propose un plat végétarien chaque jour de la semaine, "
            "préparé avec des produits locaux et de saison, au même prix que les autres plats.</p>",
        )
        lea.get_by_role("button", name="Envoyer mon amendement").click()
        lea.locator(".diff-text ins").first.wait_for()
        ines.goto(proposal_url)
        ines.locator("#amendments").get_by_role("link", name="Amendement n°").first.click()
        ines.get_by_label("La proposition reprend ces changements").check()
        ines.get_by_role("button", name="Accepter l’amendement").click()
        ines.wait_for_url(proposal_url)
        assert "de saison" in ines.locator(".prose").first.inner_text()
        ines.get_by_role("link", name="Historique des modifications").click()
        expect(ines.get_by_text("Léa Durand, accepté").first).to_be_visible()
        _both_widths(ines, "proposal-amended-history")
    finally:
        for context in contexts:
            context.close()
