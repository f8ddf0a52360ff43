"""A resident finds a meeting through search in Chromium, registers, gets a door code, cancels."""

import datetime

import pytest
from django.utils import timezone

from civitas.components.meetings.models import Meeting
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_a_meeting_register_and_cancel(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    space = published_space(commune, mayor, "Conseil de quartier Nord")
    component = published_component(space, mayor, "meetings", "Réunions")
    start = timezone.now() + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        component=component,
        title="Réunion publique sur les jardins",
        kind=Meeting.Kind.IN_PERSON,
        address="Salle des fêtes, 1 place de la Mairie",
        start_time=start,
        end_time=start + datetime.timedelta(hours=2),
        published_at=timezone.now(),
        registrations_enabled=True,
        capacity=30,
    )
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    # Typed without accents, found with them.
    page.goto(f"{base}/search/")
    page.get_by_label("Mots à chercher").fill("reunion jardin")
    page.get_by_role("main").get_by_role("button", name="Rechercher", exact=True).click()
    page.get_by_role("link", name="Réunion publique sur les jardins").click()
    page.wait_for_url(base + meeting.get_absolute_url())
    assert_accessible(page)

    page.get_by_role("button", name="S'inscrire").click()
    page.get_by_text("Vous êtes inscrit. Présentez ce code à l'entrée :").wait_for()
    code = page.locator(".secret strong").inner_text().strip()
    assert code and meeting.registrations.get(code=code).user.nickname == "lea"
    assert_accessible(page)
    screenshot(page, "meeting-registered")
    page.set_viewport_size({"width": 375, "height": 740})
    assert_accessible(page)
    screenshot(page, "meeting-registered-phone")

    page.get_by_role("button", name="Annuler mon inscription").click()
    page.get_by_role("button", name="S'inscrire").wait_for()
    assert not meeting.registrations.filter(user__nickname="lea", status="confirmed").exists()

    page.goto(f"{base}/stats/")
    assert page.locator("svg").count() >= 1
    assert_accessible(page)
