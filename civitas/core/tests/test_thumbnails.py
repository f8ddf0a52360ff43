"""Thumbnails: cut when an image is saved, re-encoded, and served only as their image is.

Walks every image field of every installed model: each is re-encoded, served through
the media check, and each of its thumbnails answers every reader exactly as the image
it was cut from (a private space's thumbnail is not readable from another
organization's host, nor by someone who is not a member).
"""

import datetime
import io

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone
from PIL import Image

from civitas.components.budgets.models import Budget, Project
from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services as proposals
from civitas.core import media
from civitas.core.thumbnails import SHAPES, aliases_of, shapes_of, thumbnail_name
from civitas.core.uploads import ReencodedImageField
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = [pytest.mark.django_db, pytest.mark.security("private media")]


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def photo_with_metadata() -> SimpleUploadedFile:
    """A JPEG carrying a GPS position and a comment, as a phone's photo does."""
    image = Image.new("RGB", (900, 700), "#2a7ab0")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"secret note")
    return SimpleUploadedFile("holiday.jpg", buffer.getvalue(), content_type="image/jpeg")


def image_fields() -> set[str]:
    return {
        f"{model._meta.label_lower}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField)
    }


# Images whose text alternative is not a field of their own, and why (see the README).
ALT_ELSEWHERE = {
    "accounts.user.avatar": "shown beside the person's name, which is its text",
    "organizations.organization.logo": "its text is the organization's name",
    "editor.editorimage.image": "its text is the alt attribute written with it in the rich text",
}


@pytest.fixture
def people(org_b):
    admin = UserFactory(organization=org_b, nickname="maireb", is_organization_admin=True)
    member = UserFactory(organization=org_b, nickname="membreb", email="membre@example.org")
    outsider = UserFactory(organization=org_b, nickname="voisinb", email="voisin@example.org")
    return admin, member, outsider


@pytest.fixture
def private_space(org_b, people):
    admin, member, _outsider = people
    space = published_space(org_b, admin, "Commission des finances", visibility="private")
    do_grant_role(space=space, user=admin, person=member, role="member")
    return space


def _space(field):
    def build(space, admin, member):
        setattr(space, field, photo_with_metadata())
        space.save()
        return space

    return build


def _group(field):
    """A group whose only process is the private space: seen by the members of that space alone."""

    def build(space, admin, member):
        from civitas.spaces.models import ProcessGroup

        group = ProcessGroup.objects.create(
            organization=space.organization, slug="commissions", title="Commissions"
        )
        space.group = group
        space.save(update_fields=["group"])
        setattr(group, field, photo_with_metadata())
        setattr(group, f"{field}_alt", "Les commissions réunies")
        group.save()
        return group

    return build


def _proposal(space, admin, member):
    ideas = published_component(space, admin, "proposals", "Idées", creation_enabled=True)
    proposal = proposals.do_create_draft(
        user=member,
        component=ideas,
        title="Un kiosque",
        body="Un texte assez long.",
        image=photo_with_metadata(),
    )
    proposals.do_publish(proposal=proposal, user=member)
    return proposal


def _project(space, admin, member):
    component = published_component(space, admin, "budgets", "Budget")
    budget = Budget.objects.create(component=component, title="Budget", total=100000)
    return Project.objects.create(budget=budget, title="Projet", amount=5000, image=photo_with_metadata())


def _meeting(space, admin, member):
    component = published_component(space, admin, "meetings", "Réunions")
    start = timezone.now() + datetime.timedelta(days=3)
    return Meeting.objects.create(
        component=component,
        title="Réunion",
        start_time=start,
        end_time=start + datetime.timedelta(hours=2),
        published_at=timezone.now(),
        image=photo_with_metadata(),
    )


def _news_post(space, admin, member):
    from civitas.components.blog.models import Post

    component = published_component(space, admin, "blog", "Actualités")
    return Post.objects.create(
        component=component,
        title="Le marché",
        body="<p>Samedi</p>",
        published_at=timezone.now(),
        image=photo_with_metadata(),
        image_alt="Des étals",
    )


def _avatar(space, admin, member):
    member.avatar = photo_with_metadata()
    member.save()
    return member


def _logo(space, admin, member):
    organization = space.organization
    organization.logo = photo_with_metadata()
    organization.save()
    return organization


def _editor_image(space, admin, member):
    from civitas.editor.models import EditorImage

    return EditorImage.objects.create(organization=space.organization, image=photo_with_metadata())


def _home_block(space, admin, member):
    from civitas.homepage.models import HomeBlock

    return HomeBlock.objects.create(
        organization=space.organization, kind="text", image=photo_with_metadata(), image_alt="Le parc"
    )


# One way to store an image in each image field; who may see it is the owner's rule.
# "members" — only the private space's members; "organization" — anyone on its host.
BUILDERS = {
    "spaces.space.image": (_space("image"), "members"),
    "spaces.space.banner": (_space("banner"), "members"),
    "spaces.processgroup.image": (_group("image"), "members"),
    "spaces.processgroup.banner": (_group("banner"), "members"),
    "proposals.proposal.image": (_proposal, "members"),
    "budgets.project.image": (_project, "members"),
    "meetings.meeting.image": (_meeting, "members"),
    "blog.post.image": (_news_post, "members"),
    "accounts.user.avatar": (_avatar, "organization"),
    "organizations.organization.logo": (_logo, "organization"),
    "editor.editorimage.image": (_editor_image, "organization"),
    "homepage.homeblock.image": (_home_block, "organization"),
}


def test_every_image_field_is_reencoded_served_with_care_described_and_tested_here():
    found = image_fields()
    assert "proposals.proposal.image" in found and "accounts.user.avatar" in found  # the walk works
    assert found == set(BUILDERS), "an image field without a case in BUILDERS (or a stale one)"
    for label in found:
        app_model, field_name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        field = model._meta.get_field(field_name)
        assert isinstance(field, ReencodedImageField), f"{label} keeps the uploaded bytes"
        assert label in media._fields, f"{label} is not registered with register_media"
        if label not in ALT_ELSEWHERE:
            alt = model._meta.get_field(f"{field_name}_alt")
            assert isinstance(alt, models.CharField), f"{label} has no text alternative field"


@pytest.mark.parametrize("label", sorted(BUILDERS))
def test_each_image_and_its_thumbnails_answer_every_reader_alike(label, org_a, org_b, people, private_space):
    admin, member, outsider = people
    build, audience = BUILDERS[label]
    field_name = label.rsplit(".", 1)[1]
    owner = build(private_space, admin, member)
    stored = getattr(owner, field_name)
    names = [stored.name] + [
        thumbnail_name(stored.name, alias) for alias in sorted(aliases_of(type(owner), field_name))
    ]

    # Every thumbnail exists right after the save, at its size, re-encoded as WebP.
    for shape in shapes_of(type(owner), field_name):
        for width, alias in zip(shape.widths, shape.aliases(), strict=True):
            with default_storage.open(thumbnail_name(stored.name, alias), "rb") as handle:
                data = handle.read()
            with Image.open(io.BytesIO(data)) as image:
                assert image.format == "WEBP"
                assert image.size == (width, shape.height(width))
                assert not image.getexif()
                assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
            assert b"PhoneMaker" not in data and b"secret note" not in data

    readers = {
        "other host": Client(HTTP_HOST=org_a.host),
        "anonymous": Client(HTTP_HOST=org_b.host),
        "outsider": Client(HTTP_HOST=org_b.host),
        "member": Client(HTTP_HOST=org_b.host),
        "member on the other host": Client(HTTP_HOST=org_a.host),
    }
    readers["outsider"].force_login(outsider)
    readers["member"].force_login(member)
    readers["member on the other host"].force_login(member)
    allowed = {"member"} if audience == "members" else {"anonymous", "outsider", "member"}
    for name in names:
        for reader, client in readers.items():
            response = client.get(f"/media/{name}")
            expected = 200 if reader in allowed else 404
            assert response.status_code == expected, (label, name, reader)
            if expected == 200:
                body = b"".join(response.streaming_content)
                assert response["X-Content-Type-Options"] == "nosniff"
                assert response["Content-Disposition"].startswith("inline;")
                if name != stored.name:
                    assert response["Content-Type"] == "image/webp"
                    assert body[8:12] == b"WEBP"


def test_a_thumbnail_in_a_size_its_field_is_not_cut_in_is_refused(org_b, people, private_space):
    admin, member, _outsider = people
    meeting = _meeting(private_space, admin, member)
    # A file planted under a banner's name for a card-only field is not served.
    fake = thumbnail_name(meeting.image.name, "banner-1280")
    default_storage.save(fake, io.BytesIO(b"RIFF0000WEBP"))
    client = Client(HTTP_HOST=org_b.host)
    client.force_login(member)
    assert client.get(f"/media/{thumbnail_name(meeting.image.name, 'card-320')}").status_code == 200
    assert client.get(f"/media/{fake}").status_code == 404


def test_deleting_an_image_deletes_its_thumbnails(org_b, people, private_space):
    _admin, member, _outsider = people
    _avatar(private_space, _admin, member)
    name = member.avatar.name
    thumbnails = [thumbnail_name(name, alias) for alias in SHAPES["avatar"].aliases()]
    assert all(default_storage.exists(thumbnail) for thumbnail in thumbnails)
    member.avatar.delete(save=True)
    assert not default_storage.exists(name)
    assert not any(default_storage.exists(thumbnail) for thumbnail in thumbnails)


def test_generateimages_makes_the_missing_thumbnails_of_stored_images(org_b, people, private_space):
    admin, member, _outsider = people
    meeting = _meeting(private_space, admin, member)
    _meeting(private_space, admin, member).__class__.objects.create(
        component=meeting.component,
        title="Sans image",
        start_time=meeting.start_time,
        end_time=meeting.end_time,
    )
    names = [thumbnail_name(meeting.image.name, alias) for alias in SHAPES["card"].aliases()]
    for name in names:
        default_storage.delete(name)
    cache.clear()  # the existence of files is remembered: forget it, as after a restore
    output = io.StringIO()
    call_command("generateimages", "civitas:meetings.meeting.image", stdout=output)
    assert "Failed" not in output.getvalue()
    assert all(default_storage.exists(name) for name in names)
