"""The editor in Chromium: an admin formats a space's description with the keyboard and puts a
picture in it, the public page shows it; a participant formats a proposal; without JavaScript
the textarea still works."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from civitas.components.proposals.models import Proposal
from civitas.editor.models import EditorImage
from civitas.spaces.models import Space
from civitas.testing.browser import assert_accessible
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mot de passe du quartier"
SHOTS = Path("/work/shots/editor")


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _log_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/")


def _png(tmp_path) -> Path:
    path = tmp_path / "plan-du-parc.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "#2a7f62").save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _toolbar_button(page, name, key="Alt+F10"):
    """Reach a toolbar button from the text with the keyboard: Alt+F10 into the toolbar (one
    tab stop), then arrows."""
    page.wait_for_timeout(150)  # Trix settles its selection after a change
    page.keyboard.press(key)
    for _ in range(20):
        focused = page.evaluate("document.activeElement.getAttribute('title')")
        if focused == name:
            return
        page.keyboard.press("ArrowRight")
    active = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"no toolbar button {name!r}; the focus is on {active}")


def test_admin_and_participant_write_formatted_text(live_server, browser, tmp_path):
    commune = OrganizationFactory(name="Commune A", host="commune-a.test")
    mayor = UserFactory(
        organization=commune, email="maire@a.test", password=PASSWORD, is_organization_admin=True
    )
    space = published_space(commune, mayor, "Parc des Tilleuls", description="<p>Ancien texte.</p>")
    ideas = published_component(space, mayor, "proposals", "Idées", creation_enabled=True)
    UserFactory(organization=commune, email="habitante@a.test", password=PASSWORD, nickname="habitante")
    port = live_server.url.rsplit(":", 1)[1]
    base = f"http://commune-a.test:{port}"

    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    # Trix tries to add its default styles in a <style> element and to preview a picture from a
    # blob: URL while it uploads, which our CSP refuses (the editor's stylesheet has the styles,
    # the picture shows once uploaded); the test server is plain HTTP, which COOP complains about.
    expected = ("style-src", "img-src", "Cross-Origin-Opener-Policy")
    _log_in(page, base, "maire@a.test")
    page.goto(f"{base}/admin/spaces/{space.pk}/edit/")
    editor = page.get_by_role("textbox", name="Description")
    editor.wait_for()
    # The stored HTML is shown formatted, not as source.
    assert editor.inner_text().strip() == "Ancien texte."
    toolbar = page.get_by_role("toolbar", name="Mise en forme").first
    expect(toolbar.get_by_role("button", name="Gras")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Insérer une image")).to_be_visible()

    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("Le parc ")
    _toolbar_button(page, "Gras")
    page.keyboard.press("Enter")
    page.keyboard.type("rouvre")
    _toolbar_button(page, "Gras")
    page.keyboard.press("Enter")
    page.keyboard.type(" au printemps.")
    page.keyboard.press("Enter")
    _toolbar_button(page, "Liste à puces")
    page.keyboard.press("Enter")
    page.keyboard.type("Nouveaux bancs")
    page.keyboard.press("Enter")
    page.keyboard.type("Aire de jeux")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Voir le plan")
    # Selected letter by letter, each after Trix has taken the previous one in: pressed in
    # a burst, some were lost and the link took the address as its text.
    page.wait_for_timeout(150)
    for _letter in "Voir le plan":
        page.keyboard.press("Shift+ArrowLeft")
        page.wait_for_timeout(30)
    page.wait_for_function("() => String(window.getSelection()) === 'Voir le plan'")
    _toolbar_button(page, "Lien")
    page.keyboard.press("Enter")
    url_field = page.get_by_role("textbox", name="Adresse web").first
    url_field.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.type === 'url'")
    page.keyboard.type("https://example.org/plan")
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    # The picture button opens the system's file chooser, which a keyboard reaches the
    # same way; pressing Enter on it raced Chromium's user-activation check under load.
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator("trix-toolbar [data-trix-action=attachFiles]").first.click()
    chooser.value.set_files(str(_png(tmp_path)))
    page.locator("trix-editor figure img[src^='/media/editor/']").wait_for()
    assert_accessible(page)
    _shot(page, "admin-edit-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "admin-edit-390")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf".*/admin/spaces/{space.pk}/$"))

    stored = Space.objects.get(pk=space.pk).description
    image = EditorImage.objects.get(organization=commune)
    assert "<strong>rouvre</strong>" in stored
    assert "<ul><li>Nouveaux bancs</li><li>Aire de jeux</li></ul>" in stored
    assert 'href="https://example.org/plan"' in stored
    assert f'src="/media/{image.image.name}"' in stored

    # The public page shows what was written, the link through the warning page.
    page.goto(f"{base}/spaces/{space.slug}/")
    prose = page.locator(".prose").first
    expect(prose.locator("strong", has_text="rouvre")).to_be_visible()
    assert prose.locator("ul li").count() == 2
    assert prose.get_by_role("link", name="Voir le plan").get_attribute("href").startswith("/link/?url=")
    picture = prose.locator(f"img[src='/media/{image.image.name}']")
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 120
    assert_accessible(page)
    _shot(page, "public-space-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "public-space-390")

    # Coming back to the form: the editor holds the formatted text (and the picture).
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/admin/spaces/{space.pk}/edit/")
    editor = page.get_by_role("textbox", name="Description")
    editor.wait_for()
    assert editor.locator("strong", has_text="rouvre").count() == 1
    assert "<p>" not in editor.inner_text()
    assert editor.locator("img[src^='/media/editor/']").count() == 1
    context.close()

    # A participant writes a formatted proposal; no picture button for her.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    _log_in(page, base, "habitante@a.test")
    page.goto(f"{base}{ideas.get_absolute_url()}new/")
    page.get_by_label("Titre").fill("Des bancs à l'ombre des tilleuls")
    body = page.locator("trix-editor#id_body")
    body.click()
    page.keyboard.type("Il fait ")
    _toolbar_button(page, "Italique")
    page.keyboard.press("Enter")
    page.keyboard.type("très")
    _toolbar_button(page, "Italique")
    page.keyboard.press("Enter")
    page.keyboard.type(" chaud l'été près de l'aire de jeux, et aucun banc n'est à l'ombre.")
    toolbar = page.get_by_role("toolbar", name="Mise en forme").first
    expect(toolbar.get_by_role("button", name="Insérer une image")).to_have_count(0)
    assert_accessible(page)
    _shot(page, "participant-proposal-390")
    page.get_by_role("button", name=re.compile("Continuer|Enregistrer|Déposer|Publier")).first.click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get(title="Des bancs à l'ombre des tilleuls")
    assert "<em>très</em>" in proposal.body
    context.close()

    # Without JavaScript the field is a textarea, and what it posts is kept, sanitized.
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="fr-FR", java_script_enabled=False
    )
    page = context.new_page()
    _log_in(page, base, "maire@a.test")
    page.goto(f"{base}/admin/spaces/{space.pk}/edit/")
    textarea = page.get_by_label("Description")
    assert textarea.evaluate("element => element.tagName") == "TEXTAREA"
    textarea.fill("Premier paragraphe.\n\nSecond, <em>souligné</em>.<script>alert(1)</script>")
    _shot(page, "admin-edit-nojs-1366")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(re.compile(rf".*/admin/spaces/{space.pk}/$"))
    assert Space.objects.get(pk=space.pk).description == (
        "<p>Premier paragraphe.</p><p>Second, <em>souligné</em>.</p>"
    )
    context.close()
    assert not [error for error in errors if not any(part in error for part in expected)], errors
