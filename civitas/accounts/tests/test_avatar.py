import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from civitas.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.security("file upload")]


def _image(size=(64, 64), image_format="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#3366cc").save(buffer, format=image_format)
    return buffer.getvalue()


def _post(client, user, upload):
    return client.post(
        "/accounts/settings/",
        {
            "name": user.name,
            "nickname": user.nickname,
            "about": "",
            "personal_url": "",
            "locale": "fr",
            "avatar": upload,
        },
    )


def test_a_real_image_is_accepted(client_a, user_a):
    client_a.force_login(user_a)
    response = _post(client_a, user_a, SimpleUploadedFile("me.png", _image(), content_type="image/png"))
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert user_a.avatar.name.startswith("avatars/")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("me.png", b"<?php echo 'hi'; ?>", "valid image"),
        ("me.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "valid image"),
        ("me.bmp", None, "PNG, JPEG, GIF"),
        ("big.png", None, "4000"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(client_a, user_a, name, content, message, settings):
    settings.LANGUAGE_CODE = "en"
    user_a.locale = "en"
    user_a.save()
    if name == "me.bmp":
        content = _image(image_format="BMP")
    if name == "big.png":
        content = _image(size=(5000, 10))
    client_a.force_login(user_a)
    response = _post(client_a, user_a, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    user_a.refresh_from_db()
    assert not user_a.avatar


def test_oversized_file_is_refused(client_a, user_a):
    client_a.force_login(user_a)
    user_a.locale = "en"
    user_a.save()
    response = _post(client_a, user_a, SimpleUploadedFile("huge.png", _image() + b"\0" * (2 * 1024 * 1024)))
    assert "too large" in response.content.decode()


def _gif_pdf_polyglot() -> bytes:
    """A valid GIF that PDF readers also open: the PDF is appended after the image data."""
    buffer = io.BytesIO()
    Image.new("P", (16, 16), 3).save(buffer, format="GIF")
    pdf = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return buffer.getvalue() + pdf


@pytest.fixture
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_a_gif_pdf_polyglot_named_pdf_is_stored_as_a_plain_png(client_a, user_a, org_a, org_b, media_on_disk):
    client_a.force_login(user_a)
    response = _post(client_a, user_a, SimpleUploadedFile("a.pdf", _gif_pdf_polyglot()))
    assert response.status_code == 302
    user_a.refresh_from_db()
    assert re.fullmatch(r"avatars/[0-9a-f]{32}\.png", user_a.avatar.name), user_a.avatar.name
    stored = default_storage.open(user_a.avatar.name).read()
    assert stored.startswith(b"\x89PNG") and b"%PDF" not in stored and b"JavaScript" not in stored

    served = Client(HTTP_HOST=org_a.host).get(user_a.avatar.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["Content-Disposition"] == 'inline; filename="avatar-alice.png"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content) == stored
    # An avatar is public within its organization only.
    assert Client(HTTP_HOST=org_b.host).get(user_a.avatar.url).status_code == 404


def test_re_encoding_drops_metadata_and_keeps_the_picture(client_a, user_a, media_on_disk):
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "GPS 48.8566 2.3522 chez moi"  # ImageDescription
    # A JPEG comment near the start is enough for PDF readers: a polyglot of another kind.
    Image.new("RGB", (30, 20), "#336699").save(buffer, format="JPEG", exif=exif, comment=b"%PDF-1.4 ...")
    client_a.force_login(user_a)
    assert _post(client_a, user_a, SimpleUploadedFile("me.jpg", buffer.getvalue())).status_code == 302
    user_a.refresh_from_db()
    assert user_a.avatar.name.endswith(".jpg")
    stored = default_storage.open(user_a.avatar.name).read()
    assert b"chez moi" not in stored and b"%PDF" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (30, 20)
        assert image.getpixel((15, 10)) == pytest.approx((0x33, 0x66, 0x99), abs=3)


def test_an_old_upload_that_is_not_a_re_encoded_image_is_a_download(client_a, user_a, media_on_disk):
    # Stored before re-encoding, under its upload's name: never rendered in the origin.
    name = default_storage.save("avatars/a.pdf", ContentFile(_gif_pdf_polyglot()))
    User.objects.filter(pk=user_a.pk).update(avatar=name)
    served = client_a.get(f"/media/{name}")
    assert served.status_code == 200
    assert served["Content-Disposition"] == 'attachment; filename="avatar-alice.pdf"'
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
