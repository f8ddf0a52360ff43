"""The API's documentation page, in Chromium: accessible in French and in English."""

import pytest
from playwright.sync_api import expect

from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_is_accessible_in_both_languages(live_server, page):
    OrganizationFactory(name="Commune A", host="commune-a.test")
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    page.goto(f"{base}/api/v1/")
    assert page.get_by_role("heading", level=1).inner_text() == "API en lecture seule"
    assert page.get_by_role("table").count() >= 10
    assert_accessible(page)
    screenshot(page, "api-docs-fr")
    page.get_by_role("link", name="fichier OpenAPI 3.1").click()
    expect(page.locator("body")).to_contain_text('"openapi": "3.1.0"')
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/api/v1/")
    assert page.get_by_role("heading", level=1).inner_text() == "Read-only API"
    assert_accessible(page)
