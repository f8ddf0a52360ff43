"""The main pages pass axe with no violation at all, on a phone and a desktop, whatever the brand colour.

An organization picks its colours; a light yellow, a dark navy and a saturated magenta are
the colours that break themes most often (white text on yellow, navy links on a navy
header, magenta on grey). Each of them, and the default colours, is set as the
organization's main and accent colour, then the main public pages and the main back-office
pages are checked with axe-core at 390 px and 1366 px, every impact counted (minor and
moderate too, unlike ``assert_accessible``): every WCAG A/AA rule in the default colours,
and in the brand colours the rules a colour can break (the others read the page's
structure, the same in every colour). The violations of every page are gathered before the
test fails, so one run lists them all.
"""

import json

import pytest

from civitas.components.budgets.models import Budget
from civitas.testing.browser import accessibility_violations
from civitas.testing.factories import OrganizationFactory
from civitas.testing.page_walk import admin_client, session_cookie
from civitas.testing.showcase import build_showcase, delete_sealed_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"
BRAND_COLOURS = {"default": None, "light": "#f2c94c", "dark": "#1b2a49", "saturated": "#e4007c"}
WIDTHS = {390: 844, 1366: 900}
# The axe rules whose outcome depends on colours: text contrast, and links told from the
# text around them by colour alone.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


@pytest.fixture
def showcase():
    world = build_showcase(OrganizationFactory(name="Ville de Démoville", host=HOST))
    yield world
    delete_sealed_records()


def _pages(world: dict) -> tuple[list[str], list[str]]:
    components, results = world["components"], world["results"]
    space_id = world["space"].pk
    public = [
        "/",
        f"/spaces/{world['space'].slug}/",
        components["proposals"].get_absolute_url(),
        world["proposal"].get_absolute_url(),
        components["surveys"].get_absolute_url(),
        Budget.objects.filter(component=components["budgets"]).get().get_absolute_url(),
        results["majority_judgment"].get_absolute_url(),
        results["surveys"].get_absolute_url() + "results/",
    ]
    backoffice = ["/admin/", "/admin/settings/", "/admin/spaces/", f"/admin/spaces/{space_id}/"]
    backoffice.append("/admin/log/")
    return public, backoffice


def test_main_pages_have_no_axe_violation_in_any_brand_colour(live_server, browser, showcase):
    organization = showcase["organization"]
    default = (organization.primary_colour, organization.secondary_colour)
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    public, backoffice = _pages(showcase)
    cookie = session_cookie(admin_client(showcase), HOST)
    found = {}
    for name, colour in BRAND_COLOURS.items():
        organization.primary_colour, organization.secondary_colour = (colour, colour) if colour else default
        organization.save()
        for width, height in WIDTHS.items():
            for who, paths, cookies in (("visitor", public, []), ("admin", backoffice, [cookie])):
                # A fresh context per colour: the theme's stylesheet is cached for minutes.
                context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
                context.set_default_timeout(10_000)
                context.add_cookies(cookies)
                page = context.new_page()
                for path in paths:
                    response = page.goto(base + path)
                    assert response.status == 200 and page.url == base + path, (who, path, page.url)
                    brand = page.evaluate(
                        "getComputedStyle(document.documentElement).getPropertyValue('--brand')"
                    )
                    assert brand.strip() == organization.primary_colour, (name, path, brand)
                    rules = COLOUR_RULES if colour else None
                    violations = accessibility_violations(page, impacts=None, rules=rules)
                    if violations:
                        found[f"{name} {width}px {who} {path}"] = violations
                context.close()
    report = "\n".join(f"{where}: {json.dumps(violations)}" for where, violations in found.items())
    assert not found, f"{len(found)} page views with axe violations:\n{report}"
