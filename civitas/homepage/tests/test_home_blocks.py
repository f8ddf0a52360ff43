"""The home page built from blocks: the registry, the admin's add / reorder / hide / edit /
delete over HTTP (each logged), tenancy, sanitized free text, images, and queries that do
not grow with the data."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.registry import sentence_for
from civitas.components.meetings.models import Meeting
from civitas.components.proposals import services as proposals
from civitas.homepage import services
from civitas.homepage.forms import BlockForm
from civitas.homepage.models import HomeBlock, HomeLayout
from civitas.homepage.registry import (
    BlockType,
    all_block_types,
    default_block_types,
    get_block_type,
    register_block_type,
    unregister_block_type,
)
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_a, admin_a):
    client_a.force_login(admin_a)
    return client_a


def _kinds(organization) -> list[str]:
    return list(HomeBlock.objects.filter(organization=organization).values_list("kind", flat=True))


def _shown(response) -> list[str]:
    return [item.block.kind for item in response.context["blocks"]]


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "#2a6f97").save(buffer, format="PNG")
    return SimpleUploadedFile("mairie.png", buffer.getvalue(), content_type="image/png")


# --- registry -------------------------------------------------------------------------------


def test_core_and_component_apps_register_their_block_types():
    names = [block_type.name for block_type in all_block_types()]
    for name in ("hero", "open_spaces", "highlight", "key_figures", "free_text"):
        assert name in names
    # Registered by the component apps themselves, not by the home page.
    assert get_block_type("upcoming_meetings").context.__module__ == "civitas.components.meetings.home"
    assert get_block_type("recent_proposals").context.__module__ == "civitas.components.proposals.home"
    assert [block_type.name for block_type in default_block_types()] == [
        "hero",
        "open_spaces",
        "upcoming_meetings",
        "key_figures",
    ]


class WeatherForm(BlockForm):
    from django import forms

    city = forms.CharField(label="City")
    settings_fields = ("city",)


def test_any_app_registers_a_block_type_with_its_form_and_template(admin_client, org_a, client_b, org_b):
    register_block_type(
        BlockType(
            name="weather",
            label="Weather",
            description="The weather in a city.",
            heading="Weather",
            template="homepage/blocks/free_text.html",
            context=lambda request, block: {"body": f"<p>Sunny in {block.settings['city']}</p>"},
            form=WeatherForm,
        )
    )
    try:
        assert "Weather" in admin_client.get("/admin/home/new/").text
        response = admin_client.post("/admin/home/new/?type=weather", {"title": "", "city": "Lyon"})
        assert response.status_code == 302
        block = HomeBlock.objects.get(organization=org_a, kind="weather")
        assert block.settings == {"city": "Lyon"}
        assert "Sunny in Lyon" in admin_client.get("/").text
        assert "Sunny in Lyon" not in client_b.get("/").text
    finally:
        unregister_block_type("weather")
    # Its app removed: the block is left out of the home page, and admins see it unavailable.
    assert "Sunny in Lyon" not in admin_client.get("/").text
    page = admin_client.get("/admin/home/")
    assert page.status_code == 200 and "indisponible : son application n’est pas installée" in page.text
    assert admin_client.get(f"/admin/home/{block.pk}/").status_code == 404


# --- defaults -------------------------------------------------------------------------------


def test_a_new_organization_shows_the_default_blocks(client_a, org_a, admin_a):
    space = published_space(org_a, admin_a, "Budget participatif 2027")
    meetings = published_component(space, admin_a, "meetings", "Réunions")
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.create(
        component=meetings,
        title="Atelier place du marché",
        start_time=start,
        end_time=start + timedelta(hours=2),
        published_at=timezone.now(),
    )
    response = client_a.get("/")
    assert _shown(response) == ["hero", "open_spaces", "upcoming_meetings", "key_figures"]
    html = response.text
    assert "<h1" in html and org_a.name in html
    assert "Budget participatif 2027" in html and "Atelier place du marché" in html
    assert not HomeBlock.objects.exists()  # nothing stored until an admin arranges the page


def test_blocks_with_nothing_to_show_are_left_out(client_a):
    assert _shown(client_a.get("/")) == ["hero", "key_figures"]


# --- the admin's arrangement ----------------------------------------------------------------


def test_opening_the_arrangement_stores_the_defaults_once(admin_client, org_a):
    assert admin_client.get("/admin/home/").status_code == 200
    admin_client.get("/admin/home/")
    assert _kinds(org_a) == ["hero", "open_spaces", "upcoming_meetings", "key_figures"]
    assert HomeLayout.objects.filter(organization=org_a).count() == 1


def test_admin_adds_reorders_hides_edits_and_deletes_blocks(admin_client, org_a, admin_a, client_b):
    admin_client.get("/admin/home/")
    # Add.
    response = admin_client.post(
        "/admin/home/new/?type=free_text", {"title": "Le mot du maire", "body": "Bienvenue à tous."}
    )
    text = HomeBlock.objects.get(organization=org_a, kind="free_text")
    assert response.status_code == 302 and response["Location"].endswith(f"#block-{text.pk}")
    assert _kinds(org_a)[-1] == "free_text"
    assert "Le mot du maire" in admin_client.get("/").text
    # Reorder: up twice; the keyboard is given back to the same button.
    response = admin_client.post(f"/admin/home/{text.pk}/move/", {"direction": "up"})
    assert response["Location"].endswith(f"#up-{text.pk}")
    admin_client.post(f"/admin/home/{text.pk}/move/", {"direction": "up"})
    assert _kinds(org_a) == ["hero", "open_spaces", "free_text", "upcoming_meetings", "key_figures"]
    page = admin_client.get(f"/admin/home/?focus=up-{text.pk}")
    assert f'id="up-{text.pk}" name="direction" value="up" type="submit" autofocus' in page.text
    # At the top, the focus goes to the other arrow.
    admin_client.post(f"/admin/home/{text.pk}/move/", {"direction": "up"})
    admin_client.post(f"/admin/home/{text.pk}/move/", {"direction": "up"})
    response = admin_client.post(f"/admin/home/{text.pk}/move/", {"direction": "up"})
    assert _kinds(org_a)[0] == "free_text" and response["Location"].endswith(f"#down-{text.pk}")
    # Hide, show.
    hero = HomeBlock.objects.get(organization=org_a, kind="hero")
    admin_client.post(f"/admin/home/{hero.pk}/visibility/", {"visible": "0"})
    assert "hero" not in _shown(admin_client.get("/"))
    admin_client.post(f"/admin/home/{hero.pk}/visibility/", {"visible": "1"})
    assert "hero" in _shown(admin_client.get("/"))
    # Edit.
    edit_page = admin_client.get(f"/admin/home/{hero.pk}/").text
    assert (
        "<h1>Modifier un bloc — Bandeau d’accueil</h1>" in edit_page and ">Enregistrer</button>" in edit_page
    )
    response = admin_client.post(
        f"/admin/home/{hero.pk}/",
        {
            "title": "Bienvenue à Commune A",
            "text": "Donnez votre avis.",
            "button_label": "Proposer",
            "button_link": "/spaces/",
            "image": _png(),
            "image_alt": "La mairie au printemps",
        },
    )
    assert response.status_code == 302
    hero.refresh_from_db()
    assert hero.title == "Bienvenue à Commune A" and hero.settings["button_link"] == "/spaces/"
    assert hero.image.name.startswith("home/") and hero.image.name.endswith(".png")
    home = admin_client.get("/").text
    assert (
        f'src="{hero.image.url}" alt="La mairie au printemps"' in home and 'href="/spaces/">Proposer' in home
    )
    # The image is served to anyone while the block is shown, only to admins once hidden.
    assert client_b.get(hero.image.url).status_code == 404  # another organization's host
    visitor = type(admin_client)(HTTP_HOST=org_a.host)
    assert visitor.get(hero.image.url).status_code == 200
    admin_client.post(f"/admin/home/{hero.pk}/visibility/", {"visible": "0"})
    assert visitor.get(hero.image.url).status_code == 404
    assert admin_client.get(hero.image.url).status_code == 200
    # Delete asks first.
    admin_client.post(f"/admin/home/{text.pk}/delete/")
    assert HomeBlock.objects.filter(pk=text.pk).exists()
    admin_client.post(f"/admin/home/{text.pk}/delete/", {"confirm_delete": "1"})
    assert not HomeBlock.objects.filter(pk=text.pk).exists()
    assert list(HomeBlock.objects.filter(organization=org_a).values_list("position", flat=True)) == [
        0,
        1,
        2,
        3,
    ]

    codes = list(
        ActionLogEntry.objects.filter(organization=org_a, action__startswith="home_block.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert codes == [
        "home_block.create",
        "home_block.move",
        "home_block.move",
        "home_block.move",
        "home_block.move",
        "home_block.hide",
        "home_block.show",
        "home_block.update",
        "home_block.hide",
        "home_block.delete",
    ]
    assert all(sentence_for(code) for code in codes)
    update = ActionLogEntry.objects.get(action="home_block.update")
    assert (
        update.user == admin_a
        and update.before["title"] == ""
        and update.after["title"] == "Bienvenue à Commune A"
    )
    assert "A déplacé un bloc de la page d’accueil" in admin_client.get("/admin/log/").text


def test_an_emptied_home_page_stays_empty_rather_than_showing_the_defaults(admin_client, org_a):
    admin_client.get("/admin/home/")
    for block in HomeBlock.objects.filter(organization=org_a):
        admin_client.post(f"/admin/home/{block.pk}/delete/", {"confirm_delete": "1"})
    response = admin_client.get("/")
    assert response.status_code == 200 and _shown(response) == []
    assert org_a.name in response.text


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"image": "new", "image_alt": ""}, "image_alt"),
        ({"button_label": "Voir", "button_link": "javascript:alert(1)"}, "button_link"),
        ({"button_label": "Voir", "button_link": "//evil.example/"}, "button_link"),
        ({"button_label": "", "button_link": "/spaces/"}, "button_link"),
    ],
)
def test_the_hero_form_refuses_bad_input_and_changes_nothing(admin_client, org_a, fields, error_field):
    admin_client.get("/admin/home/")
    hero = HomeBlock.objects.get(organization=org_a, kind="hero")
    data = {"title": "Changé", "text": "", "button_label": "", "button_link": "", "image_alt": "", **fields}
    if data.get("image") == "new":
        data["image"] = _png()
    response = admin_client.post(f"/admin/home/{hero.pk}/", data)
    assert response.status_code == 200 and response.context["form"].errors[error_field]
    hero.refresh_from_db()
    assert hero.title == "" and not hero.image


def test_free_text_is_sanitized_when_stored_and_shown(admin_client, org_a):
    admin_client.post(
        "/admin/home/new/?type=free_text",
        {
            "title": "",
            "body": '<h2>Horaires</h2><p onclick="steal()">Ouvert <strong>lundi</strong></p>'
            '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
            '<a href="https://example.org/">site</a>',
        },
    )
    block = HomeBlock.objects.get(organization=org_a, kind="free_text")
    body = block.settings["body"]
    assert "<script" not in body and "onclick" not in body and "javascript:" not in body
    assert "<strong>lundi</strong>" in body and "<h2>Horaires</h2>" in body
    # Written straight into the database, it is sanitized again when shown.
    HomeBlock.objects.filter(pk=block.pk).update(
        settings={"body": '<img src=x onerror="alert(3)"><p>Salut</p>'}
    )
    html = admin_client.get("/").text
    assert "onerror" not in html and "<p>Salut</p>" in html


# --- tenancy --------------------------------------------------------------------------------


def test_another_organizations_admin_cannot_touch_the_blocks(admin_client, org_a, org_b, client_b):
    admin_client.get("/admin/home/")
    hero = HomeBlock.objects.get(organization=org_a, kind="hero")
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_b.force_login(admin_b)
    before = list(HomeBlock.objects.filter(organization=org_a).values())
    assert client_b.get(f"/admin/home/{hero.pk}/").status_code == 404
    assert client_b.post(f"/admin/home/{hero.pk}/", {"title": "Piraté"}).status_code == 404
    assert client_b.post(f"/admin/home/{hero.pk}/move/", {"direction": "down"}).status_code == 404
    assert client_b.post(f"/admin/home/{hero.pk}/visibility/", {"visible": "0"}).status_code == 404
    assert client_b.post(f"/admin/home/{hero.pk}/delete/", {"confirm_delete": "1"}).status_code == 404
    assert list(HomeBlock.objects.filter(organization=org_a).values()) == before
    # B's own arrangement holds B's blocks only.
    client_b.get("/admin/home/")
    assert HomeBlock.objects.filter(organization=org_b).count() == 4
    assert hero.pk not in [block.pk for block in client_b.get("/admin/home/").context["blocks"]]


def test_only_organization_admins_arrange_the_home_page(client_a, org_a, admin_a):
    assert client_a.get("/admin/home/").status_code == 302  # to the log-in page
    resident = UserFactory(organization=org_a)
    client_a.force_login(resident)
    assert client_a.get("/admin/home/").status_code == 403
    assert client_a.post("/admin/home/new/?type=free_text", {"body": "x"}).status_code == 403
    assert not HomeBlock.objects.exists()


def test_a_highlight_offers_only_this_organizations_published_participations(
    admin_client, org_a, org_b, admin_a
):
    space = published_space(org_a, admin_a, "Plan vélo")
    survey = published_component(space, admin_a, "surveys", "Questionnaire vélo")
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    other = published_component(published_space(org_b, admin_b, "Ailleurs"), admin_b, "surveys", "Sondage B")
    page = admin_client.get("/admin/home/new/?type=highlight").text
    assert "Questionnaire vélo" in page and "Sondage B" not in page
    response = admin_client.post("/admin/home/new/?type=highlight", {"title": "", "component": other.pk})
    assert response.status_code == 200 and not HomeBlock.objects.filter(kind="highlight").exists()
    admin_client.post(
        "/admin/home/new/?type=highlight",
        {"title": "", "component": survey.pk, "text": "Dix minutes suffisent.", "button_label": ""},
    )
    home = admin_client.get("/").text
    assert (
        "Questionnaire vélo" in home
        and survey.get_absolute_url() in home
        and "Dix minutes suffisent." in home
    )


# --- queries --------------------------------------------------------------------------------


def _fill(org, admin, count: int) -> None:
    space = published_space(org, admin, f"Espace {HomeBlock.objects.count()}-{count}", promoted=True)
    meetings = published_component(space, admin, "meetings", "Réunions")
    ideas = published_component(space, admin, "proposals", "Idées", creation_enabled=True)
    for index in range(count):
        start = timezone.now() + timedelta(days=index + 1)
        Meeting.objects.create(
            component=meetings,
            title=f"Réunion {index}",
            start_time=start,
            end_time=start + timedelta(hours=1),
            published_at=timezone.now(),
        )
        author = UserFactory(organization=org)
        proposal = proposals.do_create_draft(user=author, component=ideas, title=f"Idée {index}", body="Oui.")
        proposals.do_publish(proposal=proposal, user=author)


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_page_queries_do_not_grow_with_the_content(client_a, org_a, admin_a, admin_client):
    admin_client.get("/admin/home/")
    for kind in ("recent_proposals", "free_text"):
        admin_client.post(f"/admin/home/new/?type={kind}", {"title": "", "count": 9, "body": "Bonjour."})
    admin_client.logout()
    _fill(org_a, admin_a, 1)
    client_a.get("/")  # the statistics' cache filled
    few = _home_queries(client_a)
    _fill(org_a, admin_a, 8)
    client_a.get("/")
    many = _home_queries(client_a)
    response = client_a.get("/")
    assert len(_block_items(response, "upcoming_meetings", "meetings")) == 3
    assert len(_block_items(response, "recent_proposals", "proposals")) == 9
    assert many == few, (few, many)
    assert many <= 12


def _block_items(response, kind, key):
    return next(item.context[key] for item in response.context["blocks"] if item.block.kind == kind)


def test_every_detail_of_a_logged_block_has_a_sentence():
    for code in ("create", "update", "move", "hide", "show", "delete"):
        assert sentence_for(f"home_block.{code}")


def test_default_blocks_are_unsaved_and_ordered(org_a):
    blocks = services.default_blocks(org_a)
    assert [block.pk for block in blocks] == [None] * 4
    assert [block.position for block in blocks] == [0, 1, 2, 3]
