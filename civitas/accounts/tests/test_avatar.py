import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

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
