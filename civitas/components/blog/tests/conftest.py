import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from civitas.components.blog.models import Post
from civitas.testing.participation import published_component, published_space


def png(colour="#2a7ab0") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 450), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def make_post(
    component, title="Travaux rue Haute", *, days=-1, body="<p>Les travaux commencent.</p>", **fields
):
    """A post published ``days`` from now (negative: already out; positive: scheduled)."""
    return Post.objects.create(
        component=component,
        title=title,
        body=body,
        published_at=timezone.now() + datetime.timedelta(days=days),
        **fields,
    )


@pytest.fixture
def news(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        space = published_space(org_a, admin_a, "Quartier des Tilleuls")
        return published_component(space, admin_a, "blog", "Actualités")


@pytest.fixture
def private_news(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        space = published_space(org_a, admin_a, "Commission des finances", visibility="private")
        return published_component(space, admin_a, "blog", "Nouvelles internes")
