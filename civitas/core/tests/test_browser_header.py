"""The site header: one line on a desktop whatever the person's state, a menu on a phone.

Logged in as an admin, the header used to take a quarter of a phone's screen and wrap on
a 1366 px desktop. Checked for every state that adds links (visitor, participant with
unread notifications, admin with the back-office link) with a long organization name and
a long nickname, at both widths, with the keyboard, with axe, and with JavaScript off
(the menu then stays open: nothing depends on the script).
"""

import uuid

import pytest
from django.test import Client
from playwright.sync_api import expect

from civitas.notifications.models import Notification
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.page_walk import admin_client, session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "metropole.test"
NAME = "Métropole européenne de Lille et ses communes associées"


def _people():
    organization = OrganizationFactory(name=NAME, host=HOST)
    admin = UserFactory(
        organization=organization, is_organization_admin=True, nickname="administratrice-metropole"
    )
    participant = UserFactory(organization=organization, nickname="habitante-fives-tres-engagee")
    for _ in range(12):
        Notification.objects.create(
            user=participant,
            event_id=uuid.uuid4(),
            kind="phase_opened",
            params={"space": "Budget", "target": "Vote"},
        )
    visitor = Client(HTTP_HOST=HOST)
    participant_client = Client(HTTP_HOST=HOST)
    participant_client.force_login(participant)
    return {
        "visitor": [],
        "participant": [session_cookie(participant_client, HOST)],
        "admin": [session_cookie(admin_client({"organization": organization, "admin": admin}), HOST)],
    }, visitor


def _header(page) -> dict:
    return page.evaluate(
        """() => {
          const header = document.querySelector('.site-header');
          const items = [...header.querySelectorAll('a, button, input')].filter((el) => el.offsetParent);
          // One line: every control's vertical middle within the tallest control's height.
          const middles = items.map((el) => {
            const r = el.getBoundingClientRect();
            return (r.top + r.bottom) / 2;
          });
          const tallest = Math.max(...items.map((el) => el.getBoundingClientRect().height));
          const rows = Math.max(...middles) - Math.min(...middles) < tallest ? 1 : 2;
          return {height: header.getBoundingClientRect().height, rows,
                  wide: document.documentElement.scrollWidth > window.innerWidth};
        }"""
    )


def test_one_line_on_a_desktop_and_a_folded_menu_on_a_phone(live_server, browser):
    sessions, _visitor = _people()
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    for who, cookies in sessions.items():
        for width in (1366, 390):
            context = browser.new_context(viewport={"width": width, "height": 844}, locale="fr-FR")
            context.add_cookies(cookies)
            page = context.new_page()
            page.goto(base + "/")
            header = _header(page)
            assert not header["wide"], f"{who} at {width}: the page is wider than the screen"
            if width == 1366:
                assert header["rows"] == 1 and header["height"] < 80, f"{who} at 1366: {header}"
                expect(page.locator(".menu-toggle")).to_be_hidden()
            else:
                # Folded: the brand and the Menu button on one line.
                assert header["height"] < 80, f"{who} at 390: {header}"
                toggle = page.locator(".menu-toggle")
                assert toggle.get_attribute("aria-expanded") == "false"
                toggle.focus()
                page.keyboard.press("Enter")
                expect(toggle).to_have_attribute("aria-expanded", "true")
                expect(page.locator("#header-search-q")).to_be_visible()
                expect(page.get_by_role("navigation", name="Compte")).to_be_visible()
                if who == "admin":
                    expect(page.get_by_role("link", name="Administration")).to_be_visible()
                if who == "participant":
                    expect(page.get_by_role("link", name="Notifications 12 non lues")).to_be_visible()
                screenshot(page, f"header-{who}-menu-390")
                page.keyboard.press("Escape")
                expect(toggle).to_have_attribute("aria-expanded", "false")
                expect(page.locator(".menu-toggle")).to_be_focused()
                expect(page.locator("#header-search-q")).to_be_hidden()
            assert_accessible(page)
            screenshot(page, f"header-{who}-{width}")
            context.close()


def test_without_javascript_the_menu_stays_open(live_server, browser):
    sessions, _visitor = _people()
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", java_script_enabled=False
    )
    context.add_cookies(sessions["participant"])
    page = context.new_page()
    page.goto(base + "/")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator("#header-search-q")).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    context.close()


def test_the_back_office_menu_folds_on_a_phone(live_server, browser):
    """Its eleven links filled a phone's first screen before any of the page (outside look)."""
    sessions, _visitor = _people()
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    for width in (390, 1366):
        context = browser.new_context(viewport={"width": width, "height": 844}, locale="fr-FR")
        context.add_cookies(sessions["admin"])
        page = context.new_page()
        page.goto(base + "/admin/log/")
        journal = page.locator(".sidebar").get_by_role("link", name="Journal des actions")
        if width == 390:
            expect(journal).to_be_hidden()
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            page.locator(".sidebar-fold > summary").click()
            expect(journal).to_be_visible()
        else:
            expect(journal).to_be_visible()
            expect(page.locator(".sidebar-fold > summary")).to_be_hidden()
        assert_accessible(page)
        screenshot(page, f"backoffice-menu-{width}")
        context.close()
