"""Through Chromium: a participant amends a published proposal, its author accepts, and the
proposal's page and history show the change; at desktop and phone widths, checked by axe."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from civitas.amendments.models import Amendment
from civitas.testing.browser import assert_accessible, fill_rich_text
from civitas.testing.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/amendments")


def _context(browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    # Generous: the editor's script settles slowly on a loaded machine (it timed out at 15 s).
    context.set_default_timeout(30_000)
    return context


def _login(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(user.email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_participant_amends_and_the_author_accepts(live_server, browser, world, width):
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    proposal_url = base + world.proposal.get_absolute_url()

    amender = _context(browser, width)
    page = amender.new_page()
    _login(page, base, world.amender)
    page.goto(proposal_url)
    page.get_by_role("link", name="Amender cette proposition").click()
    title = page.get_by_label("Titre")
    expect(title).to_have_value("Des bancs au square")  # the form starts from the current text
    title.fill("Des bancs et une fontaine au square")
    fill_rich_text(page, "Proposition", "<p>Douze bancs à l’ombre des tilleuls, et une fontaine.</p>")
    assert_accessible(page)
    _shot(page, f"form-{width}")
    page.get_by_role("button", name="Envoyer mon amendement").click()
    page.wait_for_url(re.compile(r".*/amendments/\d+/$"))
    amendment = Amendment.objects.get()
    expect(page.locator(".diff-text ins").first).to_be_visible()
    assert "fontaine" in page.locator(".diff-panel").first.inner_text()
    assert_accessible(page)
    _shot(page, f"amendment-{width}")
    amender.close()

    author = _context(browser, width)
    page = author.new_page()
    _login(page, base, world.author)
    page.goto(proposal_url)
    page.locator("#amendments").get_by_role("link", name=f"Amendement n° {amendment.pk}").click()
    page.get_by_label("La proposition reprend ces changements").check()
    expect(page.get_by_label("La proposition reprend ces changements")).to_be_checked()
    assert_accessible(page)
    _shot(page, f"decide-{width}")
    page.get_by_role("button", name="Accepter l’amendement").click()
    page.wait_for_url(proposal_url)
    expect(page.get_by_role("heading", name="Des bancs et une fontaine au square")).to_be_visible()
    assert "Douze bancs" in page.locator(".proposal .prose").inner_text()
    assert page.locator("#amendments .amendment-state-accepted").inner_text() == "Accepté"
    assert_accessible(page)
    _shot(page, f"proposal-{width}")
    page.get_by_role("link", name="Historique des modifications").click()
    expect(page.get_by_text(f"Amendement n° {amendment.pk} de Marc Amendeur, accepté")).to_be_visible()
    assert (
        "Douze" in page.locator(".diff-text ins").first.inner_text()
        or "Douze" in page.locator(".diff-panel").inner_text()
    )
    assert_accessible(page)
    _shot(page, f"history-{width}")
    author.close()
