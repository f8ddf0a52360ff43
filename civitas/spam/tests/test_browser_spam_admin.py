"""An admin reads the model's figures and changes the thresholds in Chromium; the page is axe-clean."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from civitas.spam.models import SpamSettings
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe du quartier"


def test_admin_changes_the_thresholds(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    UserFactory(organization=commune, email="maire@a.test", is_organization_admin=True, password=PASSWORD)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Détection du spam").click()
    page.get_by_role("heading", name="Résultats sur des données mises de côté").wait_for()
    assert_accessible(page)
    screenshot(page, "spam_admin")
    page.get_by_label("seuil de signalement").fill("0.80")
    page.get_by_label("seuil de blocage").fill("0.70")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".field-error, [role=alert]").first).to_be_visible()
    assert_accessible(page)
    assert not SpamSettings.objects.exists()
    page.get_by_label("seuil de blocage").fill("0.97")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Les paramètres de la détection du spam sont enregistrés.").wait_for()
    saved = SpamSettings.objects.get(organization=commune)
    assert (saved.report_threshold, saved.block_threshold) == (Decimal("0.80"), Decimal("0.97"))
