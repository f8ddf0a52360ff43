"""Every page, public and back-office, at phone width (390 px) in French: nothing sticks out.

The majority-judgment results page was 526 px wide on a phone (the seal's hash did not
wrap) and the API docs overflowed a little; the back-office pages overflowed too. The
pages come from the URL conf filled with a showcase that has one of everything (see
``civitas.testing.page_walk``), so a new page is walked as soon as it has a route. The
same walk fails on form controls the stylesheet does not reach (an ``<input>`` without
a ``type`` is drawn with the browser's default look).
"""

import pytest

from civitas.testing.browser import screenshot
from civitas.testing.factories import OrganizationFactory
from civitas.testing.page_walk import (
    OVERFLOW_SCRIPT,
    UNSTYLED_CONTROLS_SCRIPT,
    admin_client,
    candidate_paths,
    html_pages,
    session_cookie,
)
from civitas.testing.showcase import build_showcase, delete_sealed_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"
# Pages worth a look by a person, at both widths (see test-artifacts/screenshots/).
SCREENSHOTS = {
    "/api/v1/": "api-docs",
    "/stats/": "statistics",
    "/": "home",
    "/admin/": "backoffice-dashboard",
    "/admin/home/": "backoffice-home-blocks",
    "/admin/log/": "backoffice-action-log",
    "/admin/spam/": "backoffice-spam",
    "/admin/moderation/": "backoffice-moderation",
    "/search/?q=SECRETB": "search",
}


@pytest.fixture
def showcase():
    world = build_showcase(OrganizationFactory(name="Ville de Démoville", host=HOST))
    yield world
    delete_sealed_records()


def _walk(page, base: str, paths: list[str], who: str) -> dict[str, list[str]]:
    problems = {}
    for path in paths:
        page.goto(base + path)
        found = []
        overflow = page.evaluate(OVERFLOW_SCRIPT)
        if overflow:
            offenders = "; ".join(overflow["offenders"])
            found.append(f"{overflow['scrollWidth']} px wide for {overflow['width']}: {offenders}")
        found += [f"unstyled control {html}" for html in page.evaluate(UNSTYLED_CONTROLS_SCRIPT)]
        if found:
            problems[f"{who} {path}"] = found
        if path in SCREENSHOTS:
            screenshot(page, f"{SCREENSHOTS[path]}-390")
            page.set_viewport_size({"width": 1366, "height": 900})
            screenshot(page, f"{SCREENSHOTS[path]}-1366")
            page.set_viewport_size({"width": 390, "height": 844})
    return problems


def test_no_page_is_wider_than_a_phone(live_server, browser, showcase):
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    paths = candidate_paths(showcase)
    client = admin_client(showcase)
    admin_pages, admin_failing = html_pages(client, paths)
    public_pages, public_failing = html_pages(
        type(client)(HTTP_HOST=HOST, raise_request_exception=False), paths
    )
    # A page that fails would otherwise drop out of the walk unseen.
    assert not admin_failing + public_failing, (admin_failing, public_failing)
    assert len(public_pages) > 40 and len(admin_pages) > 100, (len(public_pages), len(admin_pages))
    assert any("/majority_judgment/" in path for path in public_pages)

    problems = {}
    viewport = {"width": 390, "height": 844}
    for who, pages, cookies in (
        ("visitor", public_pages, []),
        ("admin", admin_pages, [session_cookie(client, HOST)]),
    ):
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        context.set_default_timeout(10_000)
        context.add_cookies(cookies)
        page = context.new_page()
        problems.update(_walk(page, base, pages, who))
        context.close()
    report = "\n".join(f"{where}: {' | '.join(found)}" for where, found in sorted(problems.items()))
    assert not problems, f"{len(problems)} pages at 390 px:\n{report}"
