"""Cards and pages show images from their thumbnails, sized, lazy and described; forms ask for the text.

Each list with cards (spaces, proposals, budget projects, meetings) writes an ``<img>``
with both widths of the card thumbnails in ``srcset``, ``sizes``, ``width``/``height``
(no layout shift), ``loading="lazy"`` and the stored text alternative. Every image form
refuses an image without a text unless it is ticked as decorative.
"""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from civitas.components.budgets.models import Budget, Project
from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services as proposals
from civitas.core.thumbnails import thumbnail_name
from civitas.spaces.models import Space
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img [^>]*>")


def upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 500), "#3a7d44").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def image_tag(html: str, stored_name: str) -> str:
    found = [tag for tag in IMG.findall(html) if stored_name in tag]
    assert found, f"no <img> of {stored_name} in the page"
    return found[0]


def assert_card_image(html: str, stored_name: str, alt: str) -> None:
    tag = image_tag(html, stored_name)
    small, large = thumbnail_name(stored_name, "card-320"), thumbnail_name(stored_name, "card-640")
    assert f'src="/media/{small}"' in tag
    assert f'srcset="/media/{small} 320w, /media/{large} 640w"' in tag
    assert 'sizes="' in tag
    assert 'width="320" height="180"' in tag
    assert 'loading="lazy"' in tag
    assert f'alt="{alt}"' in tag
    assert f'"/media/{stored_name}"' not in html  # never the full-size original in a list


@pytest.fixture
def space(org_a, admin_a):
    return published_space(org_a, admin_a, "Budget participatif")


def test_space_cards_and_the_space_banner(org_a, admin_a, space):
    space.image = upload()
    space.image_alt = "Le kiosque du parc"
    space.banner = upload()
    space.banner_alt = ""  # decorative
    space.save()
    client = Client(HTTP_HOST=org_a.host)
    assert_card_image(client.get("/spaces/").content.decode(), space.image.name, "Le kiosque du parc")
    banner = image_tag(client.get(f"/spaces/{space.slug}/").content.decode(), space.banner.name)
    assert f'srcset="/media/{thumbnail_name(space.banner.name, "banner-1280")} 1280w' in banner
    assert 'width="1280" height="400"' in banner
    assert 'alt=""' in banner and 'loading="lazy"' not in banner  # at the top of the page


def test_proposal_cards_with_the_author_avatar(org_a, admin_a, user_a, space):
    user_a.avatar = upload()
    user_a.save()
    ideas = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    proposal = proposals.do_create_draft(
        user=user_a,
        component=ideas,
        title="Un kiosque à musique",
        body="Un texte assez long pour la proposition.",
        image=upload(),
        image_alt="Un kiosque peint en vert",
    )
    proposals.do_publish(proposal=proposal, user=user_a)
    html = Client(HTTP_HOST=org_a.host).get(ideas.get_absolute_url()).content.decode()
    assert_card_image(html, proposal.image.name, "Un kiosque peint en vert")
    avatar = image_tag(html, user_a.avatar.name)
    assert 'width="24" height="24" alt=""' in avatar and 'loading="lazy"' in avatar


def test_budget_project_cards(org_a, admin_a, space):
    component = published_component(space, admin_a, "budgets", "Budget")
    budget = Budget.objects.create(component=component, title="Toute la ville", total=100000)
    project = Project.objects.create(
        budget=budget, title="Une fontaine", amount=5000, image=upload(), image_alt="Une fontaine en pierre"
    )
    html = Client(HTTP_HOST=org_a.host).get(budget.get_absolute_url()).content.decode()
    assert_card_image(html, project.image.name, "Une fontaine en pierre")


def test_meeting_cards(org_a, admin_a, space):
    component = published_component(space, admin_a, "meetings", "Réunions")
    start = timezone.now() + datetime.timedelta(days=5)
    meeting = Meeting.objects.create(
        component=component,
        title="Atelier",
        start_time=start,
        end_time=start + datetime.timedelta(hours=2),
        published_at=timezone.now(),
        address="Salle des fêtes",
        image=upload(),
        image_alt="Des habitants autour d'une table",
    )
    html = Client(HTTP_HOST=org_a.host).get(component.get_absolute_url()).content.decode()
    assert_card_image(html, meeting.image.name, "Des habitants autour d&#x27;une table")


def test_an_image_needs_its_text_unless_ticked_decorative(org_a, admin_a, space):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    fields = {"title": space.title, "slug": space.slug, "visibility": "public", "phase_switching": "manual"}
    url = f"/admin/spaces/{space.pk}/edit/"

    response = client.post(url, {**fields, "image": upload()})
    assert response.status_code == 200
    alt_input = re.search(r'<input[^>]*name="image_alt"[^>]*>', response.content.decode())[0]
    assert 'aria-invalid="true"' in alt_input
    space.refresh_from_db()
    assert not space.image

    response = client.post(
        url, {**fields, "image": upload(), "image_decorative": "on", "image_alt": "ignored"}
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.image and space.image_alt == ""

    # The stored card image stays decorative (its box comes ticked on the form).
    again = {**fields, "image_decorative": "on"}
    response = client.post(url, {**again, "banner": upload(), "banner_alt": "  Le  parc  au printemps "})
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.banner_alt == "Le parc au printemps"
    # The edit form shows the stored image as decorative, and its text field beside it.
    page = client.get(url).content.decode()
    assert re.search(r'name="image_decorative"[^>]*checked', page)
    assert page.index('name="image"') < page.index('name="image_alt"') < page.index('name="image_decorative"')
    assert Space.objects.get(pk=space.pk).image_alt == ""
