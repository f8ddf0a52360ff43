"""An admin gathers two district processes in a group and copies one; a visitor browses the group."""

import datetime
import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.models import Component
from civitas.core.illustrations import illustration
from civitas.spaces.models import Phase, ProcessGroup, Space
from civitas.testing.browser import SCREENSHOTS, assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe de la mairie"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}
SHOTS = Path("/work/shots/groups")


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def _shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def _district(commune, mayor, title, start, end, palette, seed):
    space = published_space(
        commune, mayor, title, subtitle="Budget participatif 2027", start_date=start, end_date=end
    )
    Phase.objects.filter(space=space).update(title="Dépôt des idées", start_date=start)
    Phase.objects.create(space=space, title="Vote", position=1)
    space.image = illustration("town", palette, seed=seed)
    space.image_alt = f"Les rues du quartier, {title}"
    space.save()
    ideas = published_component(space, mayor, "proposals", "Idées du quartier", creation_enabled=True)
    return space, ideas


def test_an_admin_groups_two_processes_copies_one_and_a_visitor_browses_the_group(
    live_server, page, tmp_path
):
    commune = OrganizationFactory(name="Ville de Lyonnais", host="commune-a.test")
    mayor = UserFactory(
        organization=commune, email="maire@a.test", password=PASSWORD, is_organization_admin=True
    )
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    north, ideas = _district(
        commune, mayor, "Quartier Nord", today - 10 * day, today + 50 * day,
        ((120, 170, 220), (220, 180, 120), (200, 110, 90)), 1,
    )  # fmt: skip
    south, _ = _district(
        commune, mayor, "Quartier Sud", today + 20 * day, today + 90 * day,
        ((235, 200, 150), (90, 120, 170), (160, 80, 90)), 2,
    )  # fmt: skip
    secret = published_space(commune, mayor, "Commission confidentielle", visibility="private")
    banner = tmp_path / "bandeau.png"
    banner.write_bytes(
        illustration("gathering", ((250, 225, 190), (40, 90, 160), (220, 90, 70)), seed=4).read()
    )

    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill("maire@a.test")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")

    # The admin builds the group.
    page.goto(f"{base}/admin/")
    page.get_by_role("link", name="Groupes de processus").click()
    page.get_by_role("link", name="Nouveau groupe").click()
    page.get_by_label("Titre", exact=True).fill("Budget participatif 2027")
    fill_rich_text(
        page,
        "Description",
        "<p>Chaque quartier propose et vote ses projets : <strong>3 millions d’euros</strong>.</p>",
    )
    page.get_by_label("Image du bandeau", exact=True).set_input_files(str(banner))
    page.get_by_label("Texte alternatif (image du bandeau)").fill("Des habitants réunis autour d’une table")
    page.get_by_label("Qui organise").fill("Ville, mission démocratie participative")
    page.get_by_label("Périmètre").fill("Les quartiers de la ville")
    page.get_by_label("Quartier Nord").check()
    page.get_by_label("Quartier Sud").check()
    expect(page.get_by_label("Quartier Sud")).to_be_checked()
    assert_accessible(page)
    _shot(page, "groups-admin-form-desktop")
    page.get_by_role("button", name="Créer").click()
    page.wait_for_url(f"{base}/admin/groups/")
    group = ProcessGroup.objects.get(organization=commune)
    assert set(group.processes.values_list("pk", flat=True)) == {north.pk, south.pk}
    assert group.banner and group.banner_alt
    assert_accessible(page)

    # The admin copies the northern district for next year: the page says what stays behind.
    page.goto(f"{base}/admin/spaces/{north.pk}/")
    page.get_by_role("link", name="Copier cet espace").click()
    expect(page.get_by_text("Aucune participation n’est copiée")).to_be_visible()
    assert page.get_by_label("Titre de la copie").input_value() == "Copie de Quartier Nord"
    page.get_by_label("Décaler toutes les dates de ce nombre de jours").fill("365")
    assert_accessible(page)
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "groups-copy-confirm-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Faire la copie").click()
    copy = Space.objects.get(title="Copie de Quartier Nord")
    page.wait_for_url(re.compile(rf".*/admin/spaces/{copy.pk}/$"))
    assert not copy.is_published and copy.group_id == group.pk
    assert copy.start_date == north.start_date + datetime.timedelta(days=365)
    copied = Component.objects.get(space=copy)
    assert copied.settings_for_phase(copy.phases.first())["creation_enabled"] is True
    assert copied.settings_for_phase(copy.phases.first()) == ideas.settings_for_phase(north.phases.first())
    assert_accessible(page)
    _shot(page, "groups-copy-done-desktop")

    # A visitor: one card for the group in the list, the group page with its two districts only.
    page.context.clear_cookies()
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{base}/spaces/?period=all")
        card = page.locator(".card-group")
        assert card.count() == 1 and "2 processus" in card.inner_text()
        assert page.get_by_role("link", name="Quartier Nord").count() == 0
        assert_accessible(page)
        _shot(page, f"groups-space-list-{label}")
        page.get_by_role("link", name="Budget participatif 2027").click()
        page.wait_for_url(f"{base}/process-groups/{group.slug}/")
        main = page.locator("main").inner_text()
        assert "Quartier Nord" in main and "Quartier Sud" in main
        for hidden in ("Copie de Quartier Nord", secret.title):
            assert hidden not in main
        assert "Les quartiers de la ville" in main
        assert_accessible(page)
        _shot(page, f"groups-page-{label}")
        page.get_by_role("link", name="À venir").click()
        main = page.locator("main").inner_text()
        assert "Quartier Sud" in main and "Quartier Nord" not in main
        page.goto(f"{base}/spaces/{north.slug}/")
        page.get_by_role("link", name="Fait partie de « Budget participatif 2027 »").click()
        page.wait_for_url(f"{base}/process-groups/{group.slug}/")
