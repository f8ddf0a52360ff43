"""In Chromium: a resident of the metropolis finds a commune's space from the portal."""

from pathlib import Path

import pytest

from civitas.testing.browser import assert_accessible
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/communes")


def test_a_commune_space_is_found_on_the_metropolis_portal(live_server, page, settings):
    metro = OrganizationFactory(name="Métropole du Lac", host="metropole.test")
    belle = OrganizationFactory(name="Belle-Rive", host="belle-rive.test", parent=metro)
    clair = OrganizationFactory(name="Clairval", host="clairval.test", parent=metro)
    belle_admin = UserFactory(organization=belle, is_organization_admin=True)
    clair_admin = UserFactory(organization=clair, is_organization_admin=True)
    published_space(
        belle, belle_admin, "Budget participatif de Belle-Rive", subtitle="Vos idées pour le quartier"
    )
    published_space(belle, belle_admin, "Commission fermée", visibility="private")
    published_space(clair, clair_admin, "Rénovation de la place du marché")
    port = live_server.url.rsplit(":", 1)[1]
    settings.CIVITAS_LINK_PORT = int(port)  # links to a commune's site name this server's port
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"http://metropole.test:{port}/spaces/")
    page.get_by_role("link", name="Voir aussi les espaces des communes").click()
    page.wait_for_url("**/communes/")
    assert page.get_by_role("heading", level=1).inner_text() == "Espaces des communes"
    assert page.get_by_role("link", name="Commission fermée").count() == 0
    assert_accessible(page)
    page.screenshot(path=str(SHOTS / "portal-1366.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Commune", exact=True).select_option(label="Clairval")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**commune=*")
    assert page.get_by_role("link", name="Budget participatif de Belle-Rive").count() == 0
    page.screenshot(path=str(SHOTS / "portal-390.png"), full_page=True)
    page.get_by_label("Commune", exact=True).select_option(label="Toutes les communes")
    page.get_by_label("Rechercher", exact=True).fill("budget")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Budget participatif de Belle-Rive").click()
    # The space opens on the commune's own site.
    page.wait_for_url(f"http://belle-rive.test:{port}/spaces/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Budget participatif de Belle-Rive"
