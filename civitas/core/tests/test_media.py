"""Uploaded files are served only to those who may see what they belong to, on its own host.

The attacks of the security review: a private space's image fetched on another
organization's host or by a non-member, another organization's open-data archive,
files that no model owns, and the old names kept from before random names.
"""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civitas.components.budgets.models import Budget, Project
from civitas.components.proposals import services as proposals
from civitas.components.proposals.models import Proposal
from civitas.core.thumbnails import thumbnail_name
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.opendata import export
from civitas.opendata.models import Archive
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.django_db, pytest.mark.security("private media")]

RANDOM_IMAGE_NAME = re.compile(r"proposals/[0-9a-f]{32}\.png")


def png_bytes(colour="#aa3300") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    """Files on disk, as in production (the test settings keep them in memory)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def admin_b(org_b):
    return UserFactory(organization=org_b, nickname="maireb", is_organization_admin=True)


@pytest.fixture
def member_b(org_b):
    return UserFactory(organization=org_b, nickname="membreb", email="membre@example.org")


@pytest.fixture
def outsider_b(org_b):
    return UserFactory(organization=org_b, nickname="voisinb", email="voisin@example.org")


@pytest.fixture
def private_ideas(org_b, admin_b, member_b):
    space = published_space(org_b, admin_b, "Commission des finances", visibility="private")
    do_grant_role(space=space, user=admin_b, person=member_b, role="member")
    return published_component(space, admin_b, "proposals", "Idées", creation_enabled=True)


def publish_with_image(author, component, file_name="internal-budget-memo.png") -> Proposal:
    upload = SimpleUploadedFile(file_name, png_bytes(), content_type="image/png")
    proposal = proposals.do_create_draft(
        user=author, component=component, title="Mémo budgétaire", body="Un texte assez long.", image=upload
    )
    proposals.do_publish(proposal=proposal, user=author)
    return proposal


def as_user(organization, user=None) -> Client:
    client = Client(HTTP_HOST=organization.host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def private_image(private_ideas, member_b):
    return publish_with_image(member_b, private_ideas)


def test_a_private_space_image_is_not_served_on_another_organization_host(org_a, private_image):
    url = private_image.image.url
    assert as_user(org_a).get(url).status_code == 404


def test_a_private_space_image_is_only_for_members(org_b, private_image, member_b, outsider_b, admin_b):
    url = private_image.image.url
    assert as_user(org_b).get(url).status_code == 404
    assert as_user(org_b, outsider_b).get(url).status_code == 404
    for reader in (member_b, admin_b):
        response = as_user(org_b, reader).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == f'inline; filename="proposal-{private_image.pk}.png"'
        assert response["Cache-Control"] == "private, max-age=3600"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_uploads_get_random_names_and_a_clean_download_name(private_image):
    name = private_image.image.name
    assert RANDOM_IMAGE_NAME.fullmatch(name), name
    assert "memo" not in name


def test_an_old_name_is_checked_like_a_new_one(org_a, org_b, private_image, member_b):
    # Files stored before random names keep their upload's name: the check is the same.
    old_name = default_storage.save("proposals/internal-budget-memo.png", ContentFile(png_bytes()))
    Proposal.objects.filter(pk=private_image.pk).update(image=old_name)
    url = f"/media/{old_name}"
    assert as_user(org_a).get(url).status_code == 404
    assert as_user(org_b).get(url).status_code == 404
    response = as_user(org_b, member_b).get(url)
    assert response.status_code == 200
    # It was never re-encoded: whatever it holds is a download, not a page of the origin.
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_public_image_is_shown_on_its_page_and_served(org_a, org_b, admin_a, user_a):
    space = published_space(org_a, admin_a, "Budget participatif")
    ideas = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    proposal = publish_with_image(user_a, ideas)
    url = proposal.image.url
    # The page shows the image's thumbnails (cut when it was saved), served alike.
    shown = f"/media/{thumbnail_name(proposal.image.name, 'card-640')}"
    page = as_user(org_a).get(proposal.get_absolute_url())
    assert shown in page.content.decode()
    for served in (url, shown):
        assert as_user(org_a).get(served).status_code == 200
        assert as_user(org_b).get(served).status_code == 404


def test_a_hidden_or_draft_proposal_image_is_not_served(org_a, admin_a, user_a):
    space = published_space(org_a, admin_a, "Budget participatif")
    ideas = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    hidden = publish_with_image(user_a, ideas)
    do_report(user=admin_a, resource=hidden, reason="spam")
    do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=hidden.pk), reason="spam")
    draft = proposals.do_create_draft(
        user=user_a,
        component=ideas,
        title="Brouillon",
        body="Un texte assez long.",
        image=SimpleUploadedFile("draft.png", png_bytes(), content_type="image/png"),
    )
    for proposal in (hidden, draft):
        assert as_user(org_a).get(proposal.image.url).status_code == 404
        assert as_user(org_a, user_a).get(proposal.image.url).status_code == 200
    assert as_user(org_a, admin_a).get(hidden.image.url).status_code == 200


def image_upload(name="photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_space_budget_project_and_logo_images_follow_their_owner(
    org_a, org_b, admin_b, member_b, outsider_b, private_ideas
):
    space = private_ideas.space
    space.image = image_upload("plan-secret.png")
    space.save()
    budgets = published_component(space, admin_b, "budgets", "Budget")
    budget = Budget.objects.create(component=budgets, title="Budget", total=100000)
    project = Project.objects.create(budget=budget, title="Projet", amount=5000, image=image_upload())
    # A project imported from a proposal shares its image file.
    proposal = publish_with_image(member_b, private_ideas)
    imported = Project.objects.create(budget=budget, title="Importé", amount=10, image=proposal.image.name)
    org_b.logo = image_upload("logo.png")
    org_b.save()

    for url in (space.image.url, project.image.url, imported.image.url):
        assert as_user(org_b, outsider_b).get(url).status_code == 404
        assert as_user(org_a).get(url).status_code == 404
        assert as_user(org_b, member_b).get(url).status_code == 200
    assert as_user(org_b).get(org_b.logo.url).status_code == 200
    assert as_user(org_a).get(org_b.logo.url).status_code == 404
    # The pages that show them do, from their thumbnails.
    shown = thumbnail_name(project.image.name, "card-320")
    assert shown in as_user(org_b, member_b).get(project.get_absolute_url()).content.decode()
    shown = thumbnail_name(space.image.name, "card-320")
    assert shown in as_user(org_b, member_b).get("/spaces/").content.decode()


def test_the_open_data_archive_is_served_on_its_own_host_only(org_a, org_b, admin_b):
    export.rebuild(org_b)
    archive = Archive.objects.get(organization=org_b)
    url = f"/media/{archive.file_name}"
    assert as_user(org_a).get(url).status_code == 404
    response = as_user(org_b).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="commune-b-test-open-data-')
    assert response["X-Content-Type-Options"] == "nosniff"
    # The download page of A gives A's archive, never B's.
    assert as_user(org_a).get("/open-data/download/").status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "spam/model.joblib",  # stored, but no model owns it
        "proposals/../avatars/x.png",
        "../secret_key",
        "proposals//x.png",
        "/etc/passwd",
    ],
)
def test_files_no_one_owns_and_odd_names_are_404(org_b, admin_b, name):
    default_storage.save("spam/model.joblib", ContentFile(b"weights"))
    assert as_user(org_b, admin_b).get(f"/media/{name}").status_code == 404


def test_nginx_sends_the_file_when_configured(settings, org_b, private_image, member_b):
    settings.CIVITAS_MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = as_user(org_b, member_b).get(private_image.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{private_image.image.name}"
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b""
    # The check comes first: nginx is never told about a file the reader may not see.
    assert "X-Accel-Redirect" not in as_user(org_b).get(private_image.image.url)


ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        # The old switch let nginx serve the media folder directly: refused, with the way out.
        ("CIVITAS_SERVE_MEDIA", "false", "CIVITAS_SERVE_MEDIA is gone"),
        ("CIVITAS_MEDIA_ACCEL_REDIRECT", "protected-media", "must start and end with /"),
    ],
)
def test_a_media_setting_that_would_publish_files_stops_the_start(tmp_path, variable, value, message):
    environment = {**os.environ, "CIVITAS_VAR_DIR": str(tmp_path), variable: value}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import civitas.settings"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert message in result.stderr
