"""An admin gives a space its pictures and their text; cards show them on a phone and a desktop.

Through Chromium: the admin uploads a card image with its text alternative and a banner
ticked as decorative; the spaces list, the space's page, a proposals list (with the
author's avatar) and the meetings' cards then show thumbnails that load, at their size,
described, with no serious accessibility violation at 390 px and 1366 px.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services as proposals
from civitas.core.illustrations import illustration, portrait
from civitas.core.thumbnails import thumbnail_name
from civitas.spaces.models import Space
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe de la mairie"
WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def _loaded(image) -> bool:
    # Waits for a lazy image still on its way; an error (a 404) answers False.
    return image.evaluate(
        "img => (img.complete && img.naturalWidth > 0) || new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth > 0));"
        " img.addEventListener('error', () => done(false)); })"
    )


def test_an_admin_pictures_a_space_and_every_card_shows_its_thumbnails(live_server, page, tmp_path):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(
        organization=commune, email="maire@a.test", password=PASSWORD, is_organization_admin=True
    )
    resident = UserFactory(organization=commune, name="Nadia Benali", nickname="nadia")
    resident.avatar = portrait((40, 90, 160))
    resident.save()
    space = published_space(commune, mayor, "Budget participatif des Tilleuls")
    ideas = published_component(space, mayor, "proposals", "Idées", creation_enabled=True)
    proposal = proposals.do_create_draft(
        user=resident,
        component=ideas,
        title="Des arbres place du Marché",
        body="De l'ombre pour les bancs de la place, l'été.",
        image=illustration("park", ((170, 210, 235), (90, 150, 70))),
        image_alt="Une place plantée d'arbres",
    )
    proposals.do_publish(proposal=proposal, user=resident)
    meetings = published_component(space, mayor, "meetings", "Réunions")
    start = timezone.now() + datetime.timedelta(days=6)
    Meeting.objects.create(
        component=meetings,
        title="Atelier des Tilleuls",
        start_time=start,
        end_time=start + datetime.timedelta(hours=2),
        published_at=timezone.now(),
        address="Maison de quartier",
        image=illustration("gathering", ((250, 225, 190), (40, 90, 160), (220, 90, 70))),
        image_alt="Des habitants autour d'une table",
    )
    card_file, banner_file = tmp_path / "carte.png", tmp_path / "bandeau.png"
    card_file.write_bytes(illustration("town", ((120, 170, 220), (220, 180, 120), (200, 110, 90))).read())
    banner_file.write_bytes(illustration("park", ((150, 200, 235), (70, 140, 80)), seed=3).read())

    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/admin/spaces/{space.pk}/edit/")
    page.get_by_label("Image de la carte", exact=True).set_input_files(str(card_file))
    # Without its text, the card image is refused with a reason next to the field.
    page.get_by_role("button", name="Enregistrer").click()
    alt_field = page.get_by_label("Texte alternatif (image de la carte)")
    expect(alt_field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "images-space-form-refused")
    page.get_by_label("Image de la carte", exact=True).set_input_files(str(card_file))
    alt_field.fill("Des immeubles colorés le long de la rue des Tilleuls")
    page.get_by_label("Image du bandeau", exact=True).set_input_files(str(banner_file))
    page.get_by_label("Décorative, rien à décrire (image du bandeau)").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf".*/admin/spaces/{space.pk}/$"))
    space = Space.objects.get(pk=space.pk)
    assert space.image_alt == "Des immeubles colorés le long de la rue des Tilleuls"
    assert space.banner and space.banner_alt == ""

    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})

        page.goto(f"{base}/spaces/")
        card = page.get_by_role("img", name="Des immeubles colorés le long de la rue des Tilleuls")
        expect(card).to_be_visible()
        assert _loaded(card)
        assert card.get_attribute("loading") == "lazy"
        assert thumbnail_name(space.image.name, "card-640") in card.get_attribute("srcset")
        assert card.bounding_box()["width"] <= width
        assert_accessible(page)
        screenshot(page, f"images-spaces-{label}")

        page.goto(f"{base}/spaces/{space.slug}/")
        banner = page.locator("img.space-banner")
        expect(banner).to_be_visible()
        assert _loaded(banner) and banner.get_attribute("alt") == ""
        box = banner.bounding_box()
        assert abs(box["width"] / box["height"] - 16 / 5) < 0.05  # no jump, no distortion
        assert_accessible(page)
        screenshot(page, f"images-space-page-{label}")

        page.goto(f"{base}{ideas.get_absolute_url()}")
        thumb = page.get_by_role("img", name="Une place plantée d'arbres")
        expect(thumb).to_be_visible()
        assert _loaded(thumb)
        avatar = page.locator(f'img.avatar[src*="{resident.avatar.name}"]')
        expect(avatar).to_be_visible()
        assert _loaded(avatar)
        assert_accessible(page)
        screenshot(page, f"images-proposals-{label}")

        page.goto(f"{base}{meetings.get_absolute_url()}")
        meeting_card = page.get_by_role("img", name="Des habitants autour d'une table")
        expect(meeting_card).to_be_visible()
        assert _loaded(meeting_card)
        assert_accessible(page)
        screenshot(page, f"images-meetings-{label}")
