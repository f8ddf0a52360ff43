"""The editor's picture upload: admins of the organization only, CSRF, size and type limits,
re-encoded, served only on the organization's own host; the admin form shows the editor."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civitas.actionlog.models import ActionLogEntry
from civitas.editor.models import EditorImage
from civitas.spaces.models import SpaceRole
from civitas.spaces.services import do_create_space
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/admin/editor/images/"


def _png(size=(40, 30), fmt="PNG", extra=b"") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#aa3300").save(buffer, format=fmt)
    return SimpleUploadedFile("plan.png", buffer.getvalue() + extra, content_type="image/png")


def _client(org, user=None, **kwargs) -> Client:
    client = Client(HTTP_HOST=org.host, **kwargs)
    if user is not None:
        client.force_login(user)
    return client


def test_an_admin_uploads_a_reencoded_picture_logged_and_served_on_its_host_only(org_a, org_b, admin_a):
    response = _client(org_a, admin_a).post(URL, {"image": _png(extra=b"<html><script>x</script>")})
    assert response.status_code == 200
    answer = response.json()
    image = EditorImage.objects.get()
    assert image.organization == org_a
    assert re.fullmatch(r"/media/editor/[0-9a-f]{32}\.png", answer["url"])
    assert (answer["width"], answer["height"]) == (40, 30)
    image.image.open("rb")
    assert b"<script>" not in image.image.read()  # a fresh encoding, not the upload
    logged = ActionLogEntry.objects.filter(organization=org_a, action="editor.image_upload", user=admin_a)
    assert logged.exists()
    # Anyone on the organization's host sees it (it is in a public text); nobody on another.
    assert Client(HTTP_HOST=org_a.host).get(answer["url"]).status_code == 200
    assert Client(HTTP_HOST=org_b.host).get(answer["url"]).status_code == 404


def test_a_space_admin_may_upload_a_participant_and_a_visitor_may_not(org_a, admin_a, user_a):
    space = do_create_space(organization=org_a, user=admin_a, kind="process", title="Parc")
    animator = UserFactory(organization=org_a, email="animateur@example.org")
    SpaceRole.objects.create(space=space, user=animator, role="admin")
    assert _client(org_a, animator).post(URL, {"image": _png()}).status_code == 200
    assert _client(org_a, user_a).post(URL, {"image": _png()}).status_code == 403
    assert _client(org_a).post(URL, {"image": _png()}).status_code == 403
    assert EditorImage.objects.count() == 1


def test_an_admin_of_another_organization_may_not_upload_here(org_a, org_b):
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    assert _client(org_a, admin_b).post(URL, {"image": _png()}).status_code == 403
    assert EditorImage.objects.count() == 0


def test_the_upload_needs_the_csrf_token(org_a, admin_a):
    client = _client(org_a, admin_a, enforce_csrf_checks=True)
    assert client.post(URL, {"image": _png()}).status_code == 403
    page = client.get("/admin/settings/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(URL, {"image": _png()}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("x.png", b"<svg onload=alert(1)>"), "pas une image valide"),
        (_png(size=(4100, 10)), "maximum"),
        (SimpleUploadedFile("big.png", b"\0" * (2 * 1024 * 1024 + 1)), "trop lourde"),
        (_png(fmt="BMP"), "PNG, JPEG, GIF ou WebP"),
    ],
)
def test_what_is_not_a_picture_we_take_is_refused_with_a_reason(org_a, admin_a, upload, message):
    response = _client(org_a, admin_a, HTTP_ACCEPT_LANGUAGE="fr").post(URL, {"image": upload})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert EditorImage.objects.count() == 0


def test_only_post(org_a, admin_a):
    assert _client(org_a, admin_a).get(URL).status_code == 405


def test_the_admin_form_gives_the_stored_text_to_the_editor(org_a, admin_a):
    space = do_create_space(organization=org_a, user=admin_a, kind="process", title="Parc")
    space.description = "<p>Le parc <strong>rouvre</strong>.</p>"
    space.save()
    html = _client(org_a, admin_a).get(f"/admin/spaces/{space.pk}/edit/").content.decode()
    field = re.search(r'<textarea name="description"[^>]*>(.*?)</textarea>', html, re.S)
    assert field and "data-richtext" in field.group(0)
    assert 'data-upload-url="/admin/editor/images/"' in field.group(0)
    # The textarea holds the HTML, escaped, which editor.js gives Trix to show formatted.
    assert "&lt;strong&gt;rouvre&lt;/strong&gt;" in field.group(1)
    assert "editor/editor.js" in html and "Mise en forme" in html


def test_a_participant_form_offers_no_upload(org_a, admin_a, user_a):
    from civitas.components.proposals.forms import ProposalForm

    widget = ProposalForm.base_fields["body"].widget
    assert "data-upload-url" not in widget.render("body", "<p>x</p>")
    assert "data-richtext" in widget.render("body", "<p>x</p>")
