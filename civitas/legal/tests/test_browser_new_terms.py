"""In Chromium: an admin publishes version 2 of the terms; a participant is asked to accept it.

The participant had accepted version 1; after logging in they land on the page that shows
what changed, accept with the keyboard, and are back where they were going. Both pages are
checked with axe and looked at on a phone (390 px) and a desktop (1366 px).
"""

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from civitas.legal import services
from civitas.legal.models import TermsAcceptance, TermsVersion
from civitas.testing.browser import SCREENSHOTS, assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOOKED_AT = Path("/work/shots/terms")


def _log_in(page, base, email, next_path=""):
    page.goto(f"{base}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_label("Mot de passe").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _shots(page, name):
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name} {width}"
        screenshot(page, f"{name}-{width}")
        if LOOKED_AT.parent.exists():
            LOOKED_AT.mkdir(exist_ok=True)
            shutil.copy(SCREENSHOTS / f"{name}-{width}.png", LOOKED_AT / f"{name}-{width}.png")


def test_admin_publishes_version_2_and_a_participant_accepts_it_on_the_way(live_server, page):
    commune = OrganizationFactory(name="Ville de Démoville", host="commune-a.test")
    mayor = UserFactory(
        organization=commune, is_organization_admin=True, email="maire@a.test", name="Anne Maire"
    )
    paul = UserFactory(organization=commune, email="paul@a.test", nickname="paul")
    first = services.do_publish_terms(
        organization=commune,
        user=mayor,
        title="Charte de participation",
        body="<h2>Respect</h2><p>Pas d’insultes, pas de publicité.</p>",
        summary="Première charte.",
    )
    services.do_accept_terms(user=paul, version=first)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    _log_in(page, base, "maire@a.test", "/admin/")
    page.get_by_role("link", name="Conditions et aide").click()
    page.get_by_role("link", name="Publier une nouvelle version").click()
    # The form starts from the version in force (the field the editor posts, before or after
    # Trix has taken the textarea's place).
    expect(page.locator("[name=body]")).to_have_value(re.compile(r"^<h2>Respect</h2>"))
    fill_rich_text(
        page,
        "Texte des conditions",
        "<h2>Respect</h2><p>Pas d’insultes, pas de publicité.</p>"
        "<h2>Propositions</h2><p>Chaque proposition porte le pseudonyme de son auteur.</p>",
    )
    page.get_by_label("Ce qui change").fill("Les propositions anonymes ne sont plus permises.")
    assert_accessible(page)
    _shots(page, "terms-admin-new-version")
    page.get_by_label("Je comprends que c’est irréversible.").check()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(f"{base}/admin/legal/terms/")
    assert "La version 2 des conditions est en vigueur" in page.content()
    assert_accessible(page)
    _shots(page, "terms-admin-versions")
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()

    _log_in(page, base, "paul@a.test", "/spaces/")
    expect(page).to_have_url(f"{base}/terms/accept/?next=/spaces/")
    assert page.get_by_role("heading", level=1).inner_text() == "Les conditions d’utilisation ont changé"
    assert "Les propositions anonymes ne sont plus permises." in page.content()
    page.get_by_text("Lire le texte complet").click()
    expect(page.get_by_text("Chaque proposition porte le pseudonyme de son auteur.")).to_be_visible()
    assert_accessible(page)
    _shots(page, "terms-accept")
    # Keyboard only: from the link to the terms' text, the button comes next.
    accept = page.get_by_role("button", name="J’accepte les nouvelles conditions")
    accept.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/spaces/")
    assert TermsAcceptance.objects.filter(user=paul, version__number=2).exists()

    page.goto(f"{base}/terms/")
    assert "Version 2, en vigueur depuis le" in page.content()
    assert_accessible(page)
    _shots(page, "terms-public")
    assert TermsVersion.objects.filter(organization=commune).count() == 2
