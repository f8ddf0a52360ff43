"""A person signs up through the real pages in Chromium, confirms, and logs in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.captcha import answer_for
from civitas.testing.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_confirm_and_log_in(live_server, page, settings):
    organization = OrganizationFactory(name="Ville de Test", host="ville.test")
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://ville.test:{port}"
    # E-mail links are built from the organization's host and the configured port (never
    # from the request), so point them at the live server the browser reaches.
    settings.CIVITAS_LINK_PORT = int(port)

    page.goto(f"{base}/")
    assert_accessible(page)
    page.get_by_role("link", name="Créer un compte").first.click()
    expect(page).not_to_have_url(f"{base}/")
    assert_accessible(page)
    page.get_by_label("Votre nom").fill("Inès Moreau")
    page.get_by_label("Pseudonyme").fill("ines")
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Mot de passe", exact=True).fill("une phrase de passe sûre")
    page.get_by_label("Mot de passe (confirmation)").fill("une phrase de passe sûre")
    page.get_by_label("J’accepte les conditions d’utilisation").check()
    # Answer wrong first: the page asks another question and keeps what was typed.
    captcha = page.locator("#id_captcha_answer")
    captcha.fill("pas la bonne réponse")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Mauvaise réponse")).to_be_visible()
    assert page.get_by_label("Pseudonyme").input_value() == "ines"
    assert_accessible(page)
    screenshot(page, "signup-wrong-captcha-desktop")

    token = page.locator("input[name=captcha_token]").input_value()
    captcha.fill(answer_for(token, organization))
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r".*/accounts/signup/done/$"))
    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()

    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert link.startswith(f"{base}/accounts/confirm/")
    page.goto(link)
    page.wait_for_url(re.compile(r".*/accounts/login/$"))
    page.get_by_label("Adresse e-mail").fill("ines@example.org")
    page.get_by_label("Mot de passe").fill("une phrase de passe sûre")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    expect(page.get_by_text("Mon compte")).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/accounts/settings/")
    assert_accessible(page)
    screenshot(page, "account-settings-phone")
