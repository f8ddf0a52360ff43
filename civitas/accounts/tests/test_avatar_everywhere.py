"""An avatar: set on the settings page, shown beside the name, exported, erased with the account."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civitas.accounts.services import do_delete_account
from civitas.core.gdpr import build_export
from civitas.core.thumbnails import SHAPES, thumbnail_name

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), "#c0392b").save(buffer, format="PNG")
    return buffer.getvalue()


def _set_avatar(client, user):
    client.force_login(user)
    response = client.post(
        "/accounts/settings/",
        {
            "name": user.name,
            "nickname": user.nickname,
            "about": "",
            "personal_url": "",
            "locale": "fr",
            "avatar": SimpleUploadedFile("moi.png", _png(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()


def test_without_an_avatar_the_initial_is_shown_never_a_broken_image(client_a, user_a):
    page = client_a.get(f"/profiles/{user_a.nickname}/").content.decode()
    assert f'avatar-placeholder" aria-hidden="true">{user_a.name[0].upper()}</span>' in page
    assert '<img class="avatar' not in page


def test_an_avatar_is_shown_from_its_thumbnails_on_the_profile_and_settings(client_a, user_a):
    _set_avatar(client_a, user_a)
    small = thumbnail_name(user_a.avatar.name, "avatar-48")
    large = thumbnail_name(user_a.avatar.name, "avatar-96")
    for url in (f"/profiles/{user_a.nickname}/", "/accounts/settings/"):
        page = client_a.get(url).content.decode()
        assert f'src="/media/{small}" srcset="/media/{small} 48w, /media/{large} 96w"' in page
        assert 'width="96" height="96" alt=""' in page


def test_the_export_holds_the_avatar_and_deleting_the_account_erases_it_and_its_thumbnails(client_a, user_a):
    _set_avatar(client_a, user_a)
    name = user_a.avatar.name
    with default_storage.open(name, "rb") as handle:
        stored = handle.read()
    archive = zipfile.ZipFile(io.BytesIO(build_export(user_a)))
    assert archive.read("files/avatar.png") == stored
    assert '"avatar": "files/avatar.png"' in archive.read("account.json").decode()

    thumbnails = [thumbnail_name(name, alias) for alias in SHAPES["avatar"].aliases()]
    assert all(default_storage.exists(thumbnail) for thumbnail in thumbnails)
    do_delete_account(user_a)
    assert not default_storage.exists(name)
    assert not any(default_storage.exists(thumbnail) for thumbnail in thumbnails)
    assert "files/" not in " ".join(zipfile.ZipFile(io.BytesIO(build_export(user_a))).namelist())
