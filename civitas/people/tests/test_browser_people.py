"""In Chromium, at a desktop's and at a phone's width: an admin invites a user manager, who
creates their account from the e-mailed link, finds a participant, blocks them, and cannot
open a space's admin page. Axe finds nothing serious on the pages met on the way."""

import re
import shutil
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from civitas.spaces.services import do_create_space
from civitas.testing.browser import SCREENSHOTS, assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.page_walk import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"
SHOTS = Path("/work/shots/roles")


def _shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS.parent.is_dir():  # a copy for the people who look at them, when that folder exists
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def test_an_invited_user_manager_blocks_a_participant_but_reaches_no_space(live_server, browser):
    organization = OrganizationFactory(name="Ville de Démoville", host=HOST)
    admin = UserFactory(
        organization=organization, is_organization_admin=True, nickname="maire", name="Anne Maire"
    )
    space = do_create_space(
        organization=organization, user=admin, kind="process", title="Budget participatif"
    )
    client = Client(HTTP_HOST=HOST)
    client.force_login(admin)
    admin_cookie = session_cookie(client, HOST)
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"

    for width, height in ((1366, 900), (390, 844)):
        troll = UserFactory(organization=organization, nickname=f"troll{width}", name=f"Théo Troll {width}")
        admin_context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        admin_context.set_default_timeout(10_000)
        admin_context.add_cookies([admin_cookie])
        page = admin_context.new_page()
        page.goto(f"{base}/admin/people/roles/")
        expect(page.get_by_role("heading", name="Administrateurs et gestionnaires", level=1)).to_be_visible()
        page.get_by_label("Adresse e-mail de la personne").fill(f"gestion{width}@example.org")
        page.get_by_label("Rôle").select_option("user_manager")
        page.get_by_role("button", name="Envoyer l’invitation").click()
        page.locator(".alert-success").wait_for()
        assert f"gestion{width}@example.org" in page.locator("table").last.inner_text()
        assert_accessible(page)
        _shot(page, f"roles-invitations-{width}")
        admin_context.close()

        link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
        context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.goto(base + "/invitations/" + link.split("/invitations/", 1)[1])
        assert "Gestionnaire des participants" in page.locator(".lead").inner_text()
        assert_accessible(page)
        _shot(page, f"invitation-accept-{width}")
        page.get_by_label("Votre nom").fill(f"Gaëlle Gestion {width}")
        page.get_by_label("Pseudonyme").fill(f"gestion{width}")
        page.get_by_label("Mot de passe", exact=True).fill("un mot de passe solide")
        page.get_by_label("Mot de passe (confirmation)").fill("un mot de passe solide")
        page.get_by_label("J’accepte les conditions d’utilisation").check()
        page.get_by_role("button", name="Créer mon compte et accepter").click()

        page.get_by_role("heading", name="Participants", level=1).wait_for()
        assert page.url.endswith("/admin/people/")
        page.get_by_label("Pseudonyme, nom ou e-mail exact").fill(f"troll{width}")
        page.get_by_role("button", name="Filtrer").click()
        page.wait_for_url(re.compile(r"q=troll"))
        assert page.locator("tbody tr").count() == 1
        assert "@example.org" not in page.locator("table").inner_text()  # no address for this role
        assert_accessible(page)
        _shot(page, f"participants-{width}")

        page.get_by_role("link", name=f"Bloquer troll{width}").click()
        page.get_by_label("Justification").fill("Messages injurieux répétés dans les commentaires.")
        page.get_by_role("button", name="Bloquer le compte").click()
        page.get_by_role("heading", name="Comptes bloqués", level=1).wait_for()
        assert f"Théo Troll {width}" in page.locator("table").inner_text()
        assert_accessible(page)
        _shot(page, f"blocked-{width}")
        troll.refresh_from_db()
        assert not troll.is_active

        nav = page.get_by_role("navigation", name="Administration")
        assert nav.get_by_role("link", name="Espaces").count() == 0
        response = page.goto(f"{base}/admin/spaces/{space.pk}/")
        assert response.status == 403
        assert page.goto(f"{base}/admin/settings/").status == 403
        context.close()
