"""An organization admin's morning in Chromium: the dashboard, then a survey question.

At a desktop's and at a phone's width: the dashboard lists what waits (a reported
contribution, a consultation closing tomorrow, marked as soon), each a link the keyboard
reaches; the weekly figures open as a table; axe finds nothing serious. Then the question
form shows only the chosen type's fields (a scale's bounds, a choice's options), and the
keyboard goes from one shown field to the next, never into a hidden one.
"""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.surveys.models import Question, Survey
from civitas.components.surveys.tests.conftest import make_survey_component
from civitas.moderation.models import Moderation, Outcome, Reason, Report
from civitas.spaces.models import Space
from civitas.testing.browser import SCREENSHOTS, assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.page_walk import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"
SHOTS = Path("/work/shots/dashboard")


def _shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS.parent.is_dir():  # a copy for the people who look at them, when that folder exists
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def test_admin_reads_the_dashboard_and_writes_a_question_with_the_keyboard(live_server, browser):
    organization = OrganizationFactory(name="Ville de Démoville", host=HOST)
    admin = UserFactory(organization=organization, is_organization_admin=True, nickname="accueil")
    component = make_survey_component(organization, admin, title="Avenir du parc des Tilleuls")
    Survey.objects.filter(component=component).update(closes_at=timezone.now() + datetime.timedelta(hours=20))
    moderation = Moderation.objects.create(
        organization=organization,
        space=component.space,
        content_type=ContentType.objects.get_for_model(Space),
        object_id=component.space.pk,
        report_count=1,
    )
    Report.objects.create(moderation=moderation, reason=Reason.SPAM, outcome=Outcome.PENDING)
    client = Client(HTTP_HOST=HOST)
    client.force_login(admin)
    cookie = session_cookie(client, HOST)
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    question_url = (
        f"{base}/admin/spaces/{component.space_id}/components/{component.pk}/surveys/questions/new/"
    )

    for width, height in ((1366, 900), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        context.set_default_timeout(10_000)
        context.add_cookies([cookie])
        page = context.new_page()

        page.goto(f"{base}/admin/")
        expect(page.get_by_role("heading", name="Tableau de bord")).to_be_visible()
        attention = page.locator(".attention-item")
        assert attention.count() == 2
        first = attention.first  # closing tomorrow: urgent, so first
        assert "se clôt le" in first.inner_text() and first.locator(".badge").inner_text() == "bientôt"
        assert "Contribution signalée à modérer" in attention.nth(1).inner_text()
        assert page.locator(".activity-chart svg").count() == 3
        assert page.locator(".activity-list li").count() <= 10
        assert_accessible(page)
        _shot(page, f"dashboard-{width}")

        # The weekly figures open as a table from the keyboard.
        page.locator(".activity-table summary").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("table", name="Activité par semaine")).to_be_visible()
        assert page.locator(".activity-table tbody tr").count() == 12

        # The attention links are reached with Tab and followed with Enter.
        page.locator(".shortcut").last.focus()
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => !!document.activeElement.closest('.attention-item')"):
                break
        expect(page.locator(".attention-item:focus, .attention-item :focus")).to_have_count(1)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/surveys/$"))

        # The question form: only the chosen type's fields, the keyboard skips the others.
        page.goto(question_url)
        typed = page.locator("[data-question-types]")
        assert typed.count() == 10
        for i in range(10):
            expect(typed.nth(i)).to_be_hidden()
        page.get_by_label("Type").select_option("scale")
        expect(page.get_by_label("Valeur la plus basse", exact=True)).to_be_visible()
        expect(page.get_by_label("Options, une par ligne")).to_be_hidden()
        assert "Échelle numérique" in page.locator("#question-fields-status").inner_text()
        page.get_by_label("Type").select_option("single")
        expect(page.get_by_label("Options, une par ligne")).to_be_visible()
        expect(page.get_by_label("Valeur la plus basse", exact=True)).to_be_hidden()
        expect(page.get_by_label("Lignes de la matrice, une par ligne")).to_be_hidden()
        page.get_by_label("Question", exact=True).focus()
        page.keyboard.type(f"Quel usage pour le parc ({width}) ?")
        page.get_by_label("Options, une par ligne").focus()
        page.keyboard.type("Jeux\nJardins partagés\nSport")
        page.keyboard.press("Tab")
        expect(page.locator("[name=other_option]")).to_be_focused()
        page.keyboard.press("Tab")
        expect(
            page.locator("[name=condition]")
        ).to_be_focused()  # rows, limits and the scale are hidden: skipped
        assert_accessible(page)
        _shot(page, f"dashboard-question-form-{width}")
        page.keyboard.press("Tab")
        expect(page.get_by_role("button", name="Enregistrer")).to_be_focused()
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r".*/surveys/$"))
        question = Question.objects.get(label=f"Quel usage pour le parc ({width}) ?")
        assert [option.label for option in question.options.all()] == ["Jeux", "Jardins partagés", "Sport"]
        context.close()
