"""A resident volunteers in Chromium; after the draw the public page shows a checkable result."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.sortition import services
from civitas.components.sortition.models import Panel, Volunteer
from civitas.components.sortition.tests.conftest import (
    SECRETS,
    add_volunteers,
    make_panel_component,
    publish_earlier,
    setup_panel,
)
from civitas.sortition.draw import commitment, draw, parse_file
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_then_read_the_public_draw(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    lea = UserFactory(organization=commune, email="lea@a.test", nickname="lea", name="Léa Martin")
    component = make_panel_component(commune, mayor)
    panel = setup_panel(component, mayor)
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(base + component.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Se porter volontaire pour le panel").click()
    page.wait_for_url(re.compile(r".*/volunteer/$"))
    assert page.get_by_label("Nom complet").input_value() == "Léa Martin"
    page.get_by_label("Genre").select_option(label="Femme")
    page.get_by_label("Âge").select_option(label="Jeune")
    page.get_by_role("button", name="Rejoindre le vivier des volontaires").click()
    # Without consent the form comes back with the error, answers kept.
    expect(page.locator(".field-error input[type=checkbox]")).to_have_count(1)
    assert_accessible(page)
    page.get_by_label(re.compile("J’accepte d’être tiré")).check()
    page.get_by_role("button", name="Rejoindre le vivier des volontaires").click()
    page.wait_for_url(base + component.get_absolute_url())
    volunteer = Volunteer.objects.get(user=lea)
    assert volunteer.code in page.locator("main").inner_text()
    screenshot(page, "sortition-registered")

    add_volunteers(panel, [("Femme", "Âgé", 3), ("Homme", "Jeune", 3), ("Homme", "Âgé", 4)])
    services.do_start_computation(panel=panel, user=mayor)  # the task runs at once in tests
    panel.refresh_from_db()
    assert panel.state == Panel.State.COMPUTED
    publish_earlier(panel, mayor)
    services.do_draw(panel=panel, user=mayor, seed="5 3 6 1")
    panel.refresh_from_db()

    page.goto(base + component.get_absolute_url())
    text = page.locator("main").inner_text()
    assert panel.lottery_hash in text
    assert "python -m civitas.sortition verify" in text
    for code in panel.selected_codes:
        assert code in text
    assert "Plus petite chance" in text
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
    screenshot(page, "sortition-public-draw")
    admin_pages_are_accessible(page, base, component, mayor)
    page.goto(base + component.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier de la loterie (JSON)").click()
    with open(download.value.path(), "rb") as handle:
        raw = handle.read()
    assert draw(parse_file(raw), "5 3 6 1").panel == panel.selected_codes


def admin_pages_are_accessible(page, base, component, mayor):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(mayor.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
    admin = f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/sortition/"
    for path in ("", "pool/", "paper/", "proposal-draws/"):
        page.goto(admin + path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    assert "Léa Martin" in page.goto(admin + "pool/").text()


def test_admin_fixes_the_seed_source_then_the_contributors_reveal(live_server, page):
    """Publish with sealed contributions, wait for the announced time, reveal (one wrong first)."""
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    component = make_panel_component(commune, mayor)
    panel = setup_panel(component, mayor)
    add_volunteers(
        panel, [("Femme", "Jeune", 2), ("Femme", "Âgé", 3), ("Homme", "Jeune", 3), ("Homme", "Âgé", 4)]
    )
    services.do_start_computation(panel=panel, user=mayor)  # the task runs at once in tests
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    admin = f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/sortition/"
    log_in(page, base, mayor)

    page.goto(admin)
    publish = page.get_by_role("button", name="Publier la loterie, son empreinte et l’origine de la graine")
    publish.click()  # nothing filled in: every field says what it needs, nothing is published
    expect(page.locator(".field-error").first).to_be_visible()
    assert page.locator(".field-error").count() >= 2
    assert_accessible(page)
    page.get_by_label(re.compile("Contributions scellées")).check()
    announced = timezone.localtime() + timedelta(hours=2)
    page.get_by_label("Date et heure à partir desquelles la graine est connue").fill(
        announced.strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_label(re.compile("^Contributeurs et leurs engagements")).fill(
        "\n".join(f"{name}: {commitment(secret)}" for name, secret in SECRETS.items())
    )
    page.locator("#confirm-publish-lottery").check()  # publishing cannot be undone: the box says so
    page.get_by_role("button", name="Publier la loterie, son empreinte et l’origine de la graine").click()
    main = page.locator("main")
    main.get_by_text("La graine ne peut pas être saisie avant").wait_for()
    assert "Groupe d’opposition" in main.inner_text()
    assert page.get_by_label(re.compile("^Secret révélé par")).count() == 0  # no form before the time
    assert_accessible(page)
    screenshot(page, "sortition-admin-seed-waiting-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    screenshot(page, "sortition-admin-seed-waiting-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    panel.refresh_from_db()
    secrets = list(SECRETS.values())
    with time_machine.travel(panel.seed_known_at + timedelta(minutes=1)):
        page.goto(admin)
        names = list(SECRETS)
        for index, secret in enumerate(secrets):
            typed = "une-autre-idée" if index == 1 else secret
            page.get_by_label(f"Secret révélé par {names[index]}").fill(typed)
        page.locator("#confirm-draw-panel").check()
        page.get_by_role("button", name="Tirer le panel au sort").click()
        main.get_by_text("ne correspond pas à son engagement").first.wait_for()
        assert_accessible(page)
        screenshot(page, "sortition-admin-wrong-reveal-1280")
        page.get_by_label("Secret révélé par Groupe d’opposition").fill(secrets[1])
        page.locator("#confirm-draw-panel").check()
        page.get_by_role("button", name="Tirer le panel au sort").click()
        page.wait_for_url(re.compile(r".*/pool/$"))
    panel.refresh_from_db()
    assert panel.state == Panel.State.DRAWN and panel.seed_reveals == secrets

    page.goto(base + component.get_absolute_url())
    text = page.locator("main").inner_text()
    assert all(secret in text for secret in secrets)
    for code in panel.selected_codes:
        assert code in text
    assert_accessible(page)
    screenshot(page, "sortition-public-sealed-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert_accessible(page)
    screenshot(page, "sortition-public-sealed-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")
