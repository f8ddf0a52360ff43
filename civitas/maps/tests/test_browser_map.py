"""In Chromium: a participant picks an address among the suggestions with the keyboard, publishes,
and finds the proposal on the map beside the list (tiles from a local server); without
JavaScript the list is all there, with no empty map box."""

import json

import pytest
from playwright.sync_api import expect

from civitas.components.proposals.models import Proposal
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pick_an_address_publish_and_find_it_on_the_map(live_server, browser, page, geo_server):
    commune = OrganizationFactory(
        name="Commune A", host="commune-a.test", geocoder_url=geo_server.url, map_tiles=geo_server.tiles
    )
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    space = published_space(commune, mayor, "Budget participatif 2027")
    component = published_component(space, mayor, "proposals", "Idées", creation_enabled=True)
    Proposal.objects.create(
        component=component,
        author=mayor,
        title="Un banc place du Ralliement",
        body="Pour s'asseoir au soleil entre deux courses.",
        address="1 Place du Ralliement 49100 Angers",
        latitude=47.47155,
        longitude=-0.55146,
        published_at=space.created_at,
    )
    Proposal.objects.create(
        component=component,
        author=mayor,
        title="Une fête des voisins dans chaque quartier",
        body="Sans adresse : elle est dans la liste, pas sur la carte.",
        published_at=space.created_at,
    )
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("lea@a.test")
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    navigations = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
    page.goto(f"{base}{component.get_absolute_url()}new/")
    # The address first: typed right after the text was filled, it was found empty in CI,
    # three times in four full PostgreSQL runs and never alone. The likeliest thief of its
    # keystrokes is the rich-text editor setting its selection a frame after being filled
    # (not proven: it never happened here). A person is never that quick.
    address = page.get_by_role("combobox", name="Adresse")
    address.press_sequentially("rue des lices", delay=20)
    options = page.get_by_role("option")
    try:
        options.first.wait_for(timeout=30_000)
    except Exception as error:  # noqa: BLE001 - re-raised with what the page showed
        status = page.locator("[role=status]").all_inner_texts()
        typed = address.input_value()
        focused = page.evaluate("() => document.activeElement?.outerHTML.slice(0, 200)")
        raise AssertionError(
            f"no suggestion for {typed!r}; the page said {status}; focus on {focused}; "
            f"pages loaded since the form: {navigations}"
        ) from error
    assert options.count() == 2
    page.get_by_text("Suggestions : 2.").wait_for()
    address.press("ArrowDown")
    address.press("ArrowDown")
    expect(address).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    assert_accessible(page)  # the open list of suggestions included
    screenshot(page, "maps-address-suggestions")
    address.press("Enter")  # chooses the suggestion, does not send the form
    expect(address).to_have_value("14 Rue des Lices 49100 Angers")
    assert address.get_attribute("aria-expanded") == "false"
    assert page.locator('input[name="address_latitude"]').input_value() == "47.46841"
    asked = [path for path in geo_server.requests if not path.startswith("/tiles/")]
    page.get_by_label("Titre").fill("Des arbres rue des Lices")
    page.get_by_label("Proposition", exact=True).fill("Planter des tilleuls le long de la rue, pour l'ombre.")
    expect(address).to_have_value("14 Rue des Lices 49100 Angers")
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Publier ma proposition").click()
    page.get_by_text("Votre proposition est publiée.").wait_for()
    proposal = Proposal.objects.get(title="Des arbres rue des Lices")
    assert (proposal.latitude, proposal.longitude) == (47.46841, -0.55243)
    # The chosen suggestion was kept as it was: saving asked the geocoder nothing more.
    assert [path for path in geo_server.requests if not path.startswith("/tiles/")] == asked

    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}{component.get_absolute_url()}?order=recent")
        page.locator(".leaflet-tile-loaded").first.wait_for()
        page.locator(".leaflet-marker-icon").first.wait_for()
        assert any(path.startswith("/tiles/") for path in geo_server.requests)
        expect(page.get_by_role("region", name="Carte des propositions")).to_be_visible()
        box = page.locator(".map-canvas").bounding_box()
        first_card = page.get_by_role("link", name="Des arbres rue des Lices").bounding_box()
        if width > 1000:
            assert box["x"] > first_card["x"] + first_card["width"]  # beside the list
        else:
            assert box["y"] >= first_card["y"] + first_card["height"] and box["height"] < 400  # after it
        assert "OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
        assert_accessible(page)
        screenshot(page, f"maps-proposals-{width}")

    # The marker data names the new proposal's page (its popup links there).
    data = json.loads(page.locator("#map-data").text_content())
    assert [proposal.title, proposal.get_absolute_url()] in [marker[2:] for marker in data["markers"]]

    # With the keyboard: zoom in, focus the new proposal's marker, open its popup.
    page.get_by_role("button", name="Zoom avant", exact=True).click()
    page.get_by_role("button", name="Zoom avant", exact=True).click()
    marker = page.get_by_role("button", name="Des arbres rue des Lices")
    # Every pin is a picture that loaded (they were broken images once, Leaflet looking
    # for them beside the page).
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.leaflet-marker-icon')].length > 0 && "
        "[...document.querySelectorAll('img.leaflet-marker-icon, img.leaflet-marker-shadow')]"
        ".every(image => image.complete && image.naturalWidth > 0)"
    )
    marker.focus()
    marker.press("Enter")
    link = page.locator(".leaflet-popup").get_by_role("link", name="Des arbres rue des Lices")
    expect(link).to_have_attribute("href", proposal.get_absolute_url())
    assert_accessible(page)

    # Without JavaScript: every proposal in the list, no map box.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    context.set_default_timeout(20_000)
    bare = context.new_page()
    bare.goto(f"{base}{component.get_absolute_url()}")
    titles = (
        "Des arbres rue des Lices",
        "Un banc place du Ralliement",
        "Une fête des voisins dans chaque quartier",
    )
    for title in titles:
        expect(bare.get_by_role("link", name=title)).to_be_visible()
    expect(bare.locator(".map-panel")).to_be_hidden()
    # (axe needs JavaScript: this page is the same as the checked one, less the map)
    screenshot(bare, "maps-proposals-no-javascript")
    context.close()
