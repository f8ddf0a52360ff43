"""In Chromium: an account created with FranceConnect (the real provider process), logged out of both."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from civitas.identity.models import ProviderAccount
from civitas.identity.tests.conftest import make_provider
from civitas.identity.tests.provider_process import SUBJECTS
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

User = get_user_model()


def test_sign_up_with_franceconnect_log_out_and_set_up_providers(live_server, page, settings, oidc_provider):
    organization = OrganizationFactory(name="Ville de Test", host="ville.test")
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://ville.test:{port}"
    settings.CIVITAS_LINK_PORT = int(port)
    make_provider(oidc_provider, organization)
    admin = UserFactory(organization=organization, email="maire@ville.test", is_organization_admin=True)

    for width, name in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/accounts/login/")
        assert_accessible(page)
        screenshot(page, f"identity-login-{name}")
    expect(page.get_by_role("link", name=re.compile("Qu’est-ce que FranceConnect ?"))).to_be_visible()

    page.get_by_role("button", name="S’identifier avec FranceConnect").click()
    page.wait_for_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/interaction/"))
    page.get_by_label("Identité de test").select_option("angela")
    page.get_by_role("button", name="Continuer").click()

    page.wait_for_url(f"{base}/identity/sign-up/")
    assert page.get_by_label("Votre nom").input_value() == "Angela Claire Louise DUBOIS"
    assert_accessible(page)
    page.get_by_label("Pseudonyme").fill("angela")
    page.get_by_label("J’accepte les conditions d’utilisation").check()
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("Bienvenue ! Votre compte est prêt.")).to_be_visible()
    assert ProviderAccount.objects.get().subject == SUBJECTS["angela"]

    page.goto(f"{base}/identity/settings/")
    expect(page.get_by_role("button", name="Délier FranceConnect")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "identity-settings-phone")

    # Logging out here sends the browser to the provider's logout, with id_token_hint.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/spaces/")  # a page without provider buttons: its log-out form still leads there
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/session/end"))
    page.get_by_role("button", name=re.compile("Yes, sign me out")).click()
    page.wait_for_url(f"{base}/")
    expect(
        page.get_by_text("Vous êtes déconnecté, ici et auprès de votre fournisseur d’identité.")
    ).to_be_visible()

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(admin.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    for width, name in ((1366, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/admin/identity-providers/")
        expect(page.get_by_role("cell", name="1", exact=True)).to_be_visible()
        assert_accessible(page)
        screenshot(page, f"identity-admin-providers-{name}")
        page.get_by_role("link", name="FranceConnect", exact=True).click()
        expect(page.get_by_label("Secret client")).to_have_value("")
        assert_accessible(page)
        screenshot(page, f"identity-admin-provider-{name}")
