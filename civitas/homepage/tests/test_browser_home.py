"""An admin arranges the home page with the keyboard in Chromium; a visitor sees the result
on a phone and on a desktop, accessible."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services as proposals
from civitas.homepage.demo import _picture
from civitas.homepage.models import HomeBlock
from civitas.testing.browser import assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe de la mairie"


def _commune():
    commune = OrganizationFactory(name="Ville de Belle-Rive", host="commune-a.test")
    mayor = UserFactory(
        organization=commune, email="maire@belle-rive.test", password=PASSWORD, is_organization_admin=True
    )
    budget = published_space(commune, mayor, "Budget participatif 2027", promoted=True)
    published_space(commune, mayor, "Plan vélo de la rive gauche")
    meetings = published_component(budget, mayor, "meetings", "Réunions publiques")
    for days, title in ((4, "Atelier place du marché"), (11, "Balade urbaine aux Tilleuls")):
        start = (timezone.now() + timedelta(days=days)).replace(hour=18, minute=30)
        Meeting.objects.create(
            component=meetings,
            title=title,
            address="Salle des fêtes, 2 rue de la Mairie",
            start_time=start,
            end_time=start + timedelta(hours=2),
            published_at=timezone.now(),
        )
    ideas = published_component(budget, mayor, "proposals", "Idées", creation_enabled=True)
    for title in ("Des bancs ombragés au parc", "Une piste cyclable vers le collège"):
        author = UserFactory(organization=commune)
        proposal = proposals.do_create_draft(user=author, component=ideas, title=title, body="Pour tous.")
        proposals.do_publish(proposal=proposal, user=author)
    return commune, mayor


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_an_admin_arranges_the_home_page_with_the_keyboard_and_a_visitor_sees_it(
    live_server, browser, page, tmp_path
):
    commune, _mayor = _commune()
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@belle-rive.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Page d’accueil").click()
    page.wait_for_url(re.compile(r".*/admin/home/$"))
    assert_accessible(page)

    # A free text, added at the bottom.
    page.get_by_role("link", name="Ajouter un bloc").click()
    expect(page.get_by_label("Texte libre")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Texte libre").check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Titre du bloc").fill("Comment participer ?")
    fill_rich_text(
        page,
        "Texte",
        "<ol><li><strong>Créez votre compte</strong> en une minute.</li>"
        "<li><strong>Choisissez un espace</strong> qui vous tient à cœur.</li>"
        "<li><strong>Proposez, commentez, votez.</strong></li></ol><script>alert(1)</script>",
    )
    expect(page.get_by_label("Titre du bloc")).to_have_value("Comment participer ?")
    assert_accessible(page)
    page.get_by_role("button", name="Ajouter le bloc").click()
    page.wait_for_url(re.compile(r".*/admin/home/.*"))
    text = HomeBlock.objects.get(organization=commune, kind="free_text")

    # Up twice with the keyboard only: the focus stays on the arrow after each reload.
    page.get_by_role("button", name=re.compile(r"^Monter.*Comment participer")).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.id === 'up-{text.pk}'")
    page.keyboard.press("Enter")
    third_row = "document.querySelectorAll('.block-row')[2]"
    page.wait_for_function(f"() => {third_row} && {third_row}.id === 'block-{text.pk}'")
    assert _focused_id(page) == f"up-{text.pk}"
    kinds = list(HomeBlock.objects.filter(organization=commune).values_list("kind", flat=True))
    assert kinds == ["hero", "open_spaces", "free_text", "upcoming_meetings", "key_figures"]

    # The meetings go above the spaces, with the keyboard too.
    page.get_by_role("button", name=re.compile(r"^Monter.*Prochaines réunions")).focus()
    page.keyboard.press("Enter")
    # Wait for the page the move reloads (the old page's button held the focus too).
    page.wait_for_function(
        "() => document.querySelectorAll('.block-row')[2].textContent.includes('Prochaines réunions')"
        " && document.activeElement && document.activeElement.id.startsWith('up-')",
        timeout=30_000,
    )
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('.block-row')[1].textContent.includes('Prochaines réunions')",
        timeout=30_000,
    )

    # The hero gets its own words and picture.
    page.get_by_role("link", name=re.compile(r"^Modifier.*Bandeau d’accueil")).click()
    page.get_by_label("Titre", exact=True).fill("Bienvenue à Belle-Rive")
    page.get_by_label("Texte", exact=True).fill(
        "Proposez vos idées, débattez et votez pour la ville de demain."
    )
    page.get_by_label("Texte du bouton").fill("Je participe")
    page.get_by_label("Lien du bouton").fill("/spaces/")
    picture = tmp_path / "accueil.jpg"
    picture.write_bytes(_picture().read())
    page.get_by_label("Image", exact=True).set_input_files(str(picture))
    page.get_by_label("Texte alternatif de l’image").fill("Les toits de la ville et le clocher de la mairie")
    expect(page.get_by_label("Texte alternatif de l’image")).to_have_value(
        "Les toits de la ville et le clocher de la mairie"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(r".*/admin/home/.*"))
    expect(page.get_by_text("Le bloc est enregistré.")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "home-blocks-admin-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    screenshot(page, "home-blocks-admin-1366")

    # A visitor sees the arrangement.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    home = visitor.new_page()
    home.goto(f"{base}/")
    headings = home.locator("main h1, main h2").all_inner_texts()
    assert headings == [
        "Bienvenue à Belle-Rive",
        "Prochaines réunions",
        "Participer en ce moment",
        "Comment participer ?",
        "En chiffres",
    ]
    expect(home.get_by_role("img", name="Les toits de la ville et le clocher de la mairie")).to_be_visible()
    expect(home.get_by_role("link", name="Atelier place du marché")).to_be_visible()
    expect(home.get_by_role("link", name="Budget participatif 2027")).to_be_visible()
    assert "<script>alert(1)" not in home.content()
    assert home.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(home)
    screenshot(home, "home-blocks-390")
    home.set_viewport_size({"width": 1366, "height": 900})
    assert_accessible(home)
    screenshot(home, "home-blocks-1366")
    visitor.close()
