"""The admin of a commune-A space works in the back-office through Chromium, and nowhere else."""

import re

import pytest
from playwright.sync_api import expect

from civitas.components.models import Component
from civitas.spaces.models import Phase, Space, SpaceRole
from civitas.spaces.services import do_create_space, do_set_published
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe du quartier"


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def test_space_admin_builds_a_phase_and_a_page_and_cannot_reach_other_spaces(live_server, page):
    commune_a = OrganizationFactory(name="Commune A", host="commune-a.test")
    commune_b = OrganizationFactory(name="Commune B", host="commune-b.test")
    mayor_a = UserFactory(organization=commune_a, is_organization_admin=True)
    own = do_create_space(organization=commune_a, user=mayor_a, kind="process", title="Budget des Tilleuls")
    neighbour = do_create_space(
        organization=commune_a, user=mayor_a, kind="process", title="Budget du Centre"
    )
    do_set_published(space=own, user=mayor_a, published=True)
    mayor_b = UserFactory(organization=commune_b, is_organization_admin=True)
    foreign = do_create_space(organization=commune_b, user=mayor_b, kind="process", title="Budget de B")
    animator = UserFactory(organization=commune_a, email="animatrice@a.test", password=PASSWORD)
    SpaceRole.objects.create(space=own, user=animator, role="admin")

    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"
    _log_in(page, base, "animatrice@a.test")

    page.get_by_role("link", name="Administration").click()
    expect(page).not_to_have_url(f"{base}/")
    assert_accessible(page)
    page.get_by_role("link", name="Budget des Tilleuls").first.click()
    page.wait_for_url(re.compile(rf".*/admin/spaces/{own.pk}/$"))
    assert_accessible(page)

    page.get_by_role("link", name="Ajouter une phase").click()
    page.get_by_label("Titre").fill("Dépôt des idées")
    page.get_by_label("Date de début").fill("2027-01-10")
    page.get_by_label("Date de fin").fill("2027-02-28")
    expect(page.get_by_label("Date de fin")).to_have_value("2027-02-28")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf".*/admin/spaces/{own.pk}/$"))
    assert Phase.objects.filter(space=own, title="Dépôt des idées").exists()
    page.get_by_role("button", name=re.compile("Rendre courante")).click()

    page.get_by_role("link", name="Ajouter un composant").click()
    page.get_by_label("Type").select_option("pages")
    page.get_by_label("Nom").fill("Règlement")
    page.get_by_role("button", name="Ajouter").click()
    component = Component.objects.get(space=own, name="Règlement")
    page.wait_for_url(re.compile(rf".*/components/{component.pk}/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Modifier le contenu").click()
    page.get_by_label("Texte").fill("Chaque projet coûte au plus 50 000 €.\n\n<script>alert(1)</script>")
    page.get_by_role("button", name="Enregistrer").click()
    page.goto(f"{base}/admin/spaces/{own.pk}/")
    page.get_by_role("button", name=re.compile("^Publier Règlement")).click()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "backoffice-space-desktop")

    page.goto(f"{base}/spaces/{own.slug}/")
    expect(page.get_by_role("heading", name="Budget des Tilleuls")).to_be_visible()
    page.get_by_role("link", name=re.compile("Règlement")).click()
    expect(page.get_by_text("Chaque projet coûte au plus 50 000 €.")).to_be_visible()
    assert "<script>" not in page.content().split("<main", 1)[1]
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{base}/spaces/{own.slug}/")
    screenshot(page, "space-page-phone")

    # The same admin cannot reach the other space of the commune, nor commune B's.
    response = page.goto(f"{base}/admin/spaces/{neighbour.pk}/")
    assert response.status == 403 and "Budget du Centre" not in page.content()
    response = page.goto(f"{base}/admin/spaces/{foreign.pk}/")
    assert response.status == 404 and "Budget de B" not in page.content()
    response = page.goto(f"http://commune-b.test:{port}/admin/spaces/{foreign.pk}/")
    assert "/accounts/login/" in page.url  # not logged in on commune B at all
    assert Space.objects.get(pk=foreign.pk).phases.count() == 0
