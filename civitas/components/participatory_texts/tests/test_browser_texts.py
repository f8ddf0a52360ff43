"""In Chromium: an admin imports a DOCX, checks the cut, publishes; a resident comments on an
article; the admin edits it and publishes version 2; the resident compares the versions.
Every page checked with axe at 1366 px and 390 px."""

import re

import pytest

from civitas.comments.models import Comment
from civitas.components.participatory_texts.models import Article, TextVersion
from civitas.components.participatory_texts.tests.documents import docx_bytes
from civitas.spaces.models import SpaceRole
from civitas.testing.browser import assert_accessible, screenshot
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe du quartier"


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def _both_widths(page, name):
    """Axe and a full-page screenshot on a laptop, then on a phone."""
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        assert_accessible(page)
        screenshot(page, f"participatory-text-{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def test_import_publish_comment_edit_and_compare(live_server, page, tmp_path):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(organization=commune, is_organization_admin=True)
    space = published_space(commune, mayor, "Règlement du budget participatif")
    component = published_component(space, mayor, "participatory_texts", "Règlement", comments_enabled=True)
    animator = UserFactory(organization=commune, email="animatrice@a.test", password=PASSWORD)
    SpaceRole.objects.create(space=space, user=animator, role="admin")
    UserFactory(organization=commune, email="lea@a.test", nickname="lea", password=PASSWORD)
    document = tmp_path / "reglement.docx"
    document.write_bytes(docx_bytes())
    base = f"http://commune-a.test:{live_server.url.rsplit(':', 1)[1]}"
    admin_url = f"{base}/admin/spaces/{space.pk}/components/{component.pk}/participatory_texts/"

    _log_in(page, base, "animatrice@a.test")
    page.goto(admin_url)
    page.get_by_role("link", name="Importer un document").click()
    page.get_by_label("Document").set_input_files(str(document))
    page.get_by_role("button", name="Voir le découpage").click()
    page.get_by_role("heading", name="Vérifiez l’import").wait_for()
    assert not Article.objects.exists()  # nothing saved before the admin confirms
    _both_widths(page, "import-preview")
    page.get_by_role("button", name="Importer ces articles").click()
    page.wait_for_url(admin_url)
    assert Article.objects.filter(component=component).count() == 3
    page.get_by_label("Nom de cette version").fill("Projet soumis à la concertation")
    page.locator("#confirm-publish-text").check()
    page.get_by_role("button", name="Publier le texte").click()
    page.get_by_text("La version 1 du texte est publiée.").wait_for()
    _both_widths(page, "admin")

    page.context.clear_cookies()
    _log_in(page, base, "lea@a.test")
    page.goto(base + component.get_absolute_url())
    page.get_by_role("heading", name="Règlement", exact=True).wait_for()
    _both_widths(page, "text")
    page.get_by_role("link", name=re.compile("Lire et commenter — Article 2")).click()
    page.get_by_label("Votre commentaire").fill("Et les personnes qui travaillent dans la commune ?")
    page.get_by_role("button", name="Publier mon commentaire").click()
    page.get_by_text("Et les personnes qui travaillent dans la commune ?").wait_for()
    article = Article.objects.get(component=component, title="Qui propose")
    assert Comment.objects.filter(object_id=article.pk).count() == 1
    _both_widths(page, "article")

    page.context.clear_cookies()
    _log_in(page, base, "animatrice@a.test")
    page.goto(admin_url)
    page.get_by_role("link", name="Modifier Article 2").click()
    # The body's editor, by its id: with pictures allowed, its toolbar has controls of its own.
    editor = page.locator("trix-editor#id_body")
    editor.wait_for()
    page.wait_for_function("(element) => Boolean(element.editor)", arg=editor.element_handle())
    editor.evaluate(
        "(element, html) => element.editor.loadHTML(html)",
        "<p>Toute personne habitant ou travaillant dans la commune.</p>",
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(admin_url)
    page.get_by_label("Nom de cette version").fill("Version 2 — après la concertation")
    page.locator("#confirm-publish-text").check()
    page.get_by_role("button", name="Publier la version 2").click()
    page.get_by_text("La version 2 du texte est publiée.").wait_for()
    assert TextVersion.objects.filter(component=component).count() == 2

    page.context.clear_cookies()
    _log_in(page, base, "lea@a.test")
    page.goto(base + component.get_absolute_url())
    page.get_by_role("link", name="Ce qui a changé dans la dernière version").click()
    page.get_by_role("heading", name="Modifications de la version 1 à la version 2").wait_for()
    changed = page.locator(".pt-change-changed")
    assert changed.count() == 1
    assert "travaillant" in " ".join(changed.locator("ins").all_inner_texts())
    _both_widths(page, "compare")
    page.get_by_role("link", name="L’article et ses commentaires").click()
    # A resident follows the text through its published versions; the article's own
    # history (the admins' working text between versions) is not theirs to read.
    page.wait_for_url("**/articles/**")
    page.get_by_role("link", name="Versions du texte").first.wait_for()
    assert page.get_by_role("link", name="Historique de cet article").count() == 0
    assert_accessible(page)
