"""A space's admin writes a news post with a picture in Chromium; a resident finds it on the
home page, endorses it in place and comments on it, at desktop and phone widths."""

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from civitas.components.blog.models import Endorsement, Post
from civitas.homepage.models import HomeBlock
from civitas.spaces.models import SpaceRole
from civitas.testing.browser import SCREENSHOTS, assert_accessible, fill_rich_text, screenshot
from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/blog")


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def _photo() -> dict:
    image = Image.new("RGB", (1200, 675), (120, 170, 210))
    for x in range(0, 1200, 60):  # stripes, so the thumbnail is visibly a picture
        image.paste((230, 180, 90), (x, 400, x + 30, 675))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return {"name": "marche.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def _shot(page, name):
    screenshot(page, name)
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(SCREENSHOTS / f"{name}.png", SHOTS / f"{name}.png")


def test_an_admin_writes_a_post_and_a_resident_reads_endorses_and_comments_on_it(live_server, page):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    space = published_space(commune, mayor, "Quartier des Tilleuls")
    news = published_component(space, mayor, "blog", "Actualités")
    HomeBlock.objects.create(organization=commune, kind="latest_news", settings={"count": 3}, position=0)
    animator = UserFactory(organization=commune, email="animatrice@a.test")
    SpaceRole.objects.create(space=space, user=animator, role="admin")
    UserFactory(organization=commune, email="lea@a.test", nickname="lea")
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"

    _log_in(page, base, "animatrice@a.test")
    page.goto(f"{base}/admin/spaces/{space.pk}/components/{news.pk}/blog/")
    page.get_by_role("link", name="Nouvelle actualité").click()
    page.get_by_label("Titre").fill("Le marché de Noël revient place du Marché")
    fill_rich_text(
        page, "Texte", "<p>Trente chalets, des animations et un <strong>concert</strong> samedi.</p>"
    )
    page.get_by_label("Image de la carte", exact=True).set_input_files(_photo())
    page.get_by_label("Texte alternatif (image de la carte)").fill("Des chalets illuminés sur la place")
    page.get_by_label("Un groupe de participants, nommé ci-dessous").check()
    page.get_by_label("Nom du groupe").fill("Comité des fêtes")
    expect(page.get_by_label("Un groupe de participants, nommé ci-dessous")).to_be_checked()
    assert_accessible(page)
    _shot(page, "news-admin-form")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("L’actualité est enregistrée et publiée.").wait_for()
    post = Post.objects.get()
    assert post.image and post.signed_by == "Comité des fêtes"
    assert_accessible(page)
    page.context.clear_cookies()

    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        _log_in(page, base, "lea@a.test")
        home = page.get_by_role("region", name="Dernières actualités")
        home.get_by_role("img", name="Des chalets illuminés sur la place").wait_for()
        assert_accessible(page)
        _shot(page, f"news-home-{width}")
        home.get_by_role("link", name="Le marché de Noël revient place du Marché").click()
        page.wait_for_url(base + post.get_absolute_url())
        assert_accessible(page)
        if width == 1366:
            # Endorsed in place (htmx): the count and the button change, the page stays.
            page.get_by_role("button", name=re.compile("^Approuver")).click()
            page.get_by_role("button", name=re.compile("^Approuvée")).wait_for()
            assert page.locator(".support-count strong").inner_text() == "1"
            assert Endorsement.objects.filter(post=post, user__nickname="lea").count() == 1
            page.get_by_label("Votre commentaire").fill("Super, on y sera avec les enfants !")
            page.get_by_role("button", name="Publier mon commentaire").click()
            page.get_by_text("Super, on y sera avec les enfants !").wait_for()
            assert_accessible(page)
        else:
            page.get_by_role("button", name=re.compile("^Approuvée")).click()
            page.get_by_role("button", name=re.compile("^Approuver")).wait_for()
            assert page.locator(".support-count strong").inner_text() == "0"
        _shot(page, f"news-post-{width}")
        page.context.clear_cookies()
    post.refresh_from_db()
    assert post.endorsement_count == 0 and post.comment_count == 1

    page.goto(f"{base}/spaces/{space.slug}/")
    page.get_by_role("heading", name="Dernières actualités").wait_for()
    assert_accessible(page)
    _shot(page, "news-space-390")
