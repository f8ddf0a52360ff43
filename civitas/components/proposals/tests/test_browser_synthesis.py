"""An admin merges three proposals in Chromium; a resident then reads the result and where it comes from."""

import re
import shutil
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from civitas.components.proposals import services
from civitas.components.proposals.models import Proposal
from civitas.testing.browser import SCREENSHOTS, assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.page_walk import OVERFLOW_SCRIPT, session_cookie
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOST = "commune-a.test"
SHOTS = Path("/work/shots/synthesis")
TITLES = ("Des arbres rue Haute", "Ombrager la cour de l'école", "Végétaliser la place du marché")


def _shot(page, name: str) -> None:
    screenshot(page, name)
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def _cookie(user):
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return session_cookie(client, HOST)


def test_an_admin_merges_three_proposals_and_a_resident_reads_the_result(live_server, browser):
    commune = OrganizationFactory(name="Ville de Démoville", host=HOST)
    admin = UserFactory(organization=commune, is_organization_admin=True, nickname="accueil")
    space = published_space(commune, admin, "Convention citoyenne pour le climat")
    component = published_component(
        space, admin, "proposals", "Propositions", creation_enabled=True, supports="enabled"
    )
    resident = UserFactory(organization=commune, nickname="rosa")
    base = f"http://{HOST}:{live_server.url.rsplit(':', 1)[1]}"
    admin_index = f"{base}/admin/spaces/{space.pk}/components/{component.pk}/proposals/"

    for width, height in ((1366, 900), (390, 844)):
        authors = [
            UserFactory(organization=commune, nickname=f"{name}{width}") for name in ("ana", "bruno", "chloe")
        ]
        originals = [
            Proposal.objects.create(
                component=component,
                author=author,
                title=f"{title} ({width})",
                body=f"<p>{title}, pour plus de fraîcheur.</p>",
                published_at=timezone.now(),
            )
            for author, title in zip(authors, TITLES, strict=True)
        ]
        services.do_support(proposal=originals[0], user=resident)
        services.do_support(proposal=originals[1], user=resident)
        result_title = f"Un plan fraîcheur pour la ville ({width})"

        admin_context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        admin_context.set_default_timeout(10_000)
        admin_context.add_cookies([_cookie(admin)])
        page = admin_context.new_page()
        page.goto(admin_index)
        for original in originals:
            page.get_by_label(f"Fusionner « {original.title} »").check()
        expect(page.get_by_label(f"Fusionner « {originals[-1].title} »")).to_be_checked()
        assert_accessible(page)
        _shot(page, f"synthesis-admin-index-{width}")
        page.get_by_role("button", name="Fusionner les propositions cochées").click()
        page.wait_for_url(re.compile(r".*/merge/\?.*"))
        expect(page.get_by_role("heading", name="Fusionner des propositions")).to_be_visible()
        assert page.get_by_label("Titre").input_value().startswith(TITLES[0])
        assert_accessible(page)
        _shot(page, f"synthesis-merge-form-{width}")
        page.get_by_label("Titre").fill(result_title)
        fill_rich_text(page, "Proposition", "<p>Planter, ombrager et végétaliser, quartier par quartier.</p>")
        page.get_by_label("Je comprends que c’est irréversible.").check()
        page.get_by_role("button", name="Fusionner les propositions").click()
        result = Proposal.objects.get(title=result_title)
        page.wait_for_url(f"{base}{result.get_absolute_url()}")
        expect(page.get_by_text("Les propositions sont fusionnées")).to_be_visible()
        admin_context.close()

        visitor_context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        visitor_context.set_default_timeout(10_000)
        visitor_context.add_cookies([_cookie(resident)])
        page = visitor_context.new_page()
        page.goto(f"{base}{result.get_absolute_url()}")
        expect(page.get_by_role("heading", name=result_title)).to_be_visible()
        origins = page.get_by_role("region", name="Vient de")
        for original, author in zip(originals, authors, strict=True):
            expect(origins.get_by_role("link", name=original.title)).to_be_visible()
            expect(page.get_by_role("link", name=author.public_name).first).to_be_visible()
        # The resident supported two originals: they support the result, counted once.
        expect(page.get_by_role("button", name=re.compile("^Soutenu"))).to_be_visible()
        expect(page.locator(f"#support-{result.pk}").get_by_text("1", exact=False).first).to_be_visible()
        assert page.evaluate(OVERFLOW_SCRIPT) is None
        assert_accessible(page)
        _shot(page, f"synthesis-result-{width}")

        origins.get_by_role("link", name=originals[2].title).click()
        banner = page.get_by_role("note")
        expect(banner.get_by_text("Cette proposition a été fusionnée dans")).to_be_visible()
        assert page.get_by_role("button", name=re.compile("^Soutenir")).count() == 0
        assert page.evaluate(OVERFLOW_SCRIPT) is None
        assert_accessible(page)
        _shot(page, f"synthesis-original-{width}")
        banner.get_by_role("link", name=result_title).click()
        page.wait_for_url(f"{base}{result.get_absolute_url()}")
        visitor_context.close()
