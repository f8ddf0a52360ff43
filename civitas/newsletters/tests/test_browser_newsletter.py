"""In Chromium: an admin writes, previews, tests and sends a newsletter; a resident
unsubscribes from the link in the e-mail they received.

Every page is checked with axe and looked at on a phone (390 px) and a desktop (1366 px).
"""

import re
import shutil
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from civitas.newsletters import services
from civitas.newsletters.models import Delivery, Newsletter, NewsletterConsent
from civitas.testing.browser import SCREENSHOTS, assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOOKED_AT = Path("/work/shots/newsletters")


def _log_in(page, base, email, next_path=""):
    page.goto(f"{base}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _shots(page, name):
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), (
            f"{name} {width}"
        )
        screenshot(page, f"{name}-{width}")
        if LOOKED_AT.parent.exists():
            LOOKED_AT.mkdir(exist_ok=True)
            shutil.copy(SCREENSHOTS / f"{name}-{width}.png", LOOKED_AT / f"{name}-{width}.png")


def test_admin_sends_a_newsletter_and_a_resident_unsubscribes_from_its_link(live_server, page):
    commune = OrganizationFactory(name="Ville de Démoville", host="commune-a.test")
    UserFactory(organization=commune, is_organization_admin=True, email="maire@a.test", name="Anne Maire")
    residents = [
        UserFactory(organization=commune, email=f"habitant{n}@a.test", nickname=f"habitant{n}")
        for n in range(3)
    ]
    for resident in residents:
        services.do_set_consent(resident, True, source="signup")
    UserFactory(organization=commune, email="discret@a.test", nickname="discret")  # never opted in
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    _log_in(page, base, "maire@a.test", "/admin/")
    page.get_by_role("link", name="Lettres d’information").click()
    expect(page).to_have_url(re.compile(r".*/admin/newsletters/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Rédiger une lettre").click()
    page.get_by_label("Objet").fill("Le budget participatif 2027 est ouvert")
    fill_rich_text(
        page,
        "Texte de la lettre",
        "<h2>Votez jusqu’au 12 mars</h2><p>Douze projets pour les quartiers attendent vos voix.</p>"
        "<ul><li>Un jardin partagé</li><li>Des bancs place du marché</li></ul>",
    )
    page.get_by_label("Tous les participants qui acceptent la lettre").check()
    expect(page.get_by_label("Tous les participants qui acceptent la lettre")).to_be_checked()
    assert_accessible(page)
    _shots(page, "newsletter-write")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.locator("body")).to_contain_text("3 personnes recevront cette lettre maintenant.")
    newsletter = Newsletter.objects.get()
    assert page.url == f"{base}/admin/newsletters/{newsletter.pk}/"
    assert_accessible(page)
    _shots(page, "newsletter-draft")

    page.get_by_role("link", name="Aperçu").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Version texte")).to_be_visible()
    assert "- Un jardin partagé" in page.locator("pre.mail-text").inner_text()
    assert_accessible(page)
    _shots(page, "newsletter-preview")

    page.get_by_role("link", name="Envoi et suivi").click()
    page.get_by_role("button", name="Envoyer un test à maire@a.test").click()
    expect(page.locator("body")).to_contain_text("Un test part vers maire@a.test.")
    assert [message.to for message in mail.outbox] == [["maire@a.test"]]
    assert mail.outbox[0].subject == "[Test] Le budget participatif 2027 est ouvert"

    page.get_by_label("Je comprends que c’est irréversible.").check()
    page.get_by_role("button", name="Envoyer la lettre").click()
    expect(page.locator("body")).to_contain_text("3 sur 3 traités")
    assert Delivery.objects.filter(status="sent").count() == 3
    assert_accessible(page)
    _shots(page, "newsletter-sent")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()

    # A resident follows the unsubscribe link of the message they received.
    (received,) = [message for message in mail.outbox if message.to == ["habitant1@a.test"]]
    link = re.search(r'href="([^"]+/newsletters/unsubscribe/[^"]+)"', received.alternatives[0][0]).group(1)
    page.goto(link.replace("http://commune-a.test", base))
    assert page.get_by_role("heading", level=1).inner_text() == "Se désinscrire de la lettre d’information"
    assert_accessible(page)
    _shots(page, "newsletter-unsubscribe")
    page.get_by_role("button", name="Me désinscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit")
    assert_accessible(page)
    _shots(page, "newsletter-unsubscribed")
    assert NewsletterConsent.objects.get(user=residents[1]).consented_at is None
    assert NewsletterConsent.objects.filter(consented_at__isnull=False).count() == 2
