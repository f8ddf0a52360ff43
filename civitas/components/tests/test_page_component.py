"""The page component end to end: added and written in the back-office, read by visitors."""

import pytest
from django.test import Client
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.components.manifest import registry
from civitas.components.models import Component
from civitas.components.pages.models import Page
from civitas.components.services import do_add_component, do_set_component_published
from civitas.search.registry import searchable
from civitas.spaces.models import Phase, Space, SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = registry.get("pages")
HOSTILE = (
    '<p onclick="steal()">Les <strong>règles</strong> du budget.</p>'
    "<script>alert('x')</script>"
    '<a href="javascript:alert(1)">piège</a> '
    '<a href="https://example.org/charte" onmouseover="steal()">charte</a>'
    '<img src="x" onerror="steal()">'
)


@pytest.fixture
def space(org_a):
    return Space.objects.create(
        organization=org_a, slug="budget", title="Budget participatif", published_at=timezone.now()
    )


@pytest.fixture
def admin_client(client_a, admin_a):
    client_a.force_login(admin_a)
    return client_a


@pytest.fixture
def page_component(space, admin_a):
    component = do_add_component(space=space, user=admin_a, manifest=PAGES, name="Règlement")
    Page.objects.filter(component=component).update(body="<p>Le règlement du budget.</p>")
    return component


def _public_url(component) -> str:
    return f"/spaces/{component.space.slug}/pages/{component.pk}/"


def _admin_url(component) -> str:
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/pages/"


def test_admin_adds_writes_and_publishes_a_page(admin_client, client, space, org_a):
    response = admin_client.post(
        f"/admin/spaces/{space.pk}/components/new/", {"manifest_name": "pages", "name": "Règlement"}
    )
    component = Component.objects.get(space=space)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/spaces/{space.pk}/components/{component.pk}/"
    assert component.manifest_name == "pages" and component.name == "Règlement"
    assert not component.is_published
    assert component.settings == {"show_update_date": True}
    assert Page.objects.get(component=component).body == ""  # created with the component
    assert admin_client.get(response["Location"]).status_code == 200

    assert admin_client.get(_admin_url(component)).status_code == 200
    response = admin_client.post(_admin_url(component), {"body": HOSTILE})
    assert response.status_code == 302 and response["Location"] == _admin_url(component)
    body = Page.objects.get(component=component).body
    assert "<strong>règles</strong>" in body and "https://example.org/charte" in body
    for dangerous in ("<script", "alert(", "onclick", "onmouseover", "onerror", "javascript:", "<img"):
        assert dangerous not in body
    assert 'rel="nofollow noopener noreferrer ugc"' in body
    assert ActionLogEntry.objects.filter(action="page.update", space=space).count() == 1

    visitor = Client(HTTP_HOST=org_a.host)
    assert visitor.get(_public_url(component)).status_code == 404  # not published yet
    response = admin_client.post(
        f"/admin/spaces/{space.pk}/components/{component.pk}/publish/", {"publish": "1"}
    )
    assert response.status_code == 302
    response = visitor.get(_public_url(component))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>règles</strong>" in html
    for dangerous in ("<script>alert", "onclick=", "onmouseover=", "onerror=", "javascript:alert"):
        assert dangerous not in html
    # It is listed on the space page.
    assert _public_url(component) in visitor.get(f"/spaces/{space.slug}/").content.decode()


def test_plain_text_becomes_paragraphs(admin_client, page_component):
    admin_client.post(_admin_url(page_component), {"body": "Premier.\n\nSecond <b>gras</b>\nligne"})
    assert Page.objects.get(component=page_component).body == (
        "<p>Premier.</p><p>Second <b>gras</b><br>ligne</p>"
    )


def test_sanitized_even_when_saved_without_the_form(page_component):
    page = Page.objects.get(component=page_component)
    page.body = '<p>ok</p><script>x()</script><p onclick="x()">y</p>'
    page.save()
    page.refresh_from_db()
    assert "script" not in page.body and "onclick" not in page.body and "ok" in page.body


def test_unpublished_page_hidden_from_visitors_shown_to_admins(
    client_a, space, page_component, org_a, user_a
):
    url = _public_url(page_component)
    assert client_a.get(url).status_code == 404
    client_a.force_login(user_a)
    assert client_a.get(url).status_code == 404
    animator = UserFactory(organization=org_a)
    SpaceRole.objects.create(space=space, user=animator, role=SpaceRole.Role.ADMIN)
    client_a.force_login(animator)
    assert client_a.get(url).status_code == 200
    client_a.force_login(UserFactory(organization=org_a, is_organization_admin=True))
    assert client_a.get(url).status_code == 200
    # Not linked from the space page for visitors.
    assert url not in Client(HTTP_HOST=org_a.host).get(f"/spaces/{space.slug}/").content.decode()


def test_published_page_is_public(client_a, page_component, admin_a):
    do_set_component_published(component=page_component, user=admin_a, published=True)
    response = client_a.get(_public_url(page_component))
    assert response.status_code == 200
    assert "Le règlement du budget." in response.content.decode()


def test_published_page_in_a_draft_space_is_hidden(client_a, space, page_component, admin_a):
    do_set_component_published(component=page_component, user=admin_a, published=True)
    Space.objects.filter(pk=space.pk).update(published_at=None)
    assert client_a.get(_public_url(page_component)).status_code == 404
    client_a.force_login(admin_a)
    assert client_a.get(_public_url(page_component)).status_code == 200


def test_private_space_page_only_for_members(client_a, space, page_component, admin_a, org_a, user_a):
    do_set_component_published(component=page_component, user=admin_a, published=True)
    Space.objects.filter(pk=space.pk).update(visibility=Space.Visibility.PRIVATE)
    url = _public_url(page_component)
    assert client_a.get(url).status_code == 404
    client_a.force_login(user_a)
    assert client_a.get(url).status_code == 404
    SpaceRole.objects.create(space=space, user=user_a, role=SpaceRole.Role.MEMBER)
    assert client_a.get(url).status_code == 200


def test_page_is_not_reachable_from_another_organization(client_b, org_b, page_component, admin_a):
    do_set_component_published(component=page_component, user=admin_a, published=True)
    assert client_b.get(_public_url(page_component)).status_code == 404
    client_b.force_login(UserFactory(organization=org_b, is_organization_admin=True))
    assert client_b.get(_admin_url(page_component)).status_code == 404
    assert client_b.post(_admin_url(page_component), {"body": "volé"}).status_code == 404
    assert "volé" not in Page.objects.get(component=page_component).body


def test_only_admins_of_the_space_edit_the_text(client_a, org_a, space, page_component, user_a):
    url = _admin_url(page_component)
    response = client_a.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client_a.force_login(user_a)
    assert client_a.post(url, {"body": "changé"}).status_code == 403
    other = Space.objects.create(organization=org_a, slug="autre", title="Autre")
    animator = UserFactory(organization=org_a)
    SpaceRole.objects.create(space=other, user=animator, role=SpaceRole.Role.ADMIN)
    client_a.force_login(animator)
    assert client_a.post(url, {"body": "changé"}).status_code == 403
    # The component id must belong to the space in the address.
    assert client_a.get(f"/admin/spaces/{other.pk}/components/{page_component.pk}/pages/").status_code == 404
    assert "changé" not in Page.objects.get(component=page_component).body


def test_announcement_shows_only_in_its_phase(client_a, space, page_component, admin_a):
    ideas = Phase.objects.create(space=space, title="Idées", position=0)
    vote = Phase.objects.create(space=space, title="Vote", position=1)
    page_component.phase_settings = {
        str(ideas.pk): {"announcement": "Déposez vos idées <b>avant</b> le 30 avril"},
        str(vote.pk): {"announcement": ""},
    }
    page_component.save()
    do_set_component_published(component=page_component, user=admin_a, published=True)
    url = _public_url(page_component)

    def text():
        return client_a.get(url).content.decode()

    assert "Déposez vos idées" not in text()  # no phase is current
    Space.objects.filter(pk=space.pk).update(active_phase=ideas)
    html = text()
    assert "Déposez vos idées &lt;b&gt;avant&lt;/b&gt; le 30 avril" in html  # escaped, not HTML
    Space.objects.filter(pk=space.pk).update(active_phase=vote)
    assert "Déposez vos idées" not in text()


def test_update_date_follows_the_setting(client_a, page_component, admin_a):
    do_set_component_published(component=page_component, user=admin_a, published=True)
    client_a.cookies["django_language"] = "en"
    assert "Updated on" in client_a.get(_public_url(page_component)).content.decode()
    Component.objects.filter(pk=page_component.pk).update(settings={"show_update_date": False})
    assert "Updated on" not in client_a.get(_public_url(page_component)).content.decode()


def test_manifest_hooks(space, admin_a):
    component = do_add_component(space=space, user=admin_a, manifest=PAGES, name="Charte")
    assert PAGES.statistics(component) == {"pages": 0}
    [(name, rows)] = list(PAGES.open_data(component))
    assert name == "pages" and rows[0]["text"] == "" and rows[0]["space"] == "budget"

    page = Page.objects.get(component=component)
    page.body = "<h2>Charte</h2><p>Respect &amp; écoute.</p><script>x()</script>"
    page.save()
    assert PAGES.statistics(component) == {"pages": 1}
    [(name, rows)] = list(PAGES.open_data(component))
    assert rows == [
        {
            "space": "budget",
            "component_id": component.pk,
            "title": "Charte",
            "text": "Charte Respect & écoute.",
            "updated_at": Page.objects.get(component=component).updated_at.isoformat(),
        }
    ]
    document = searchable("page").document(page)
    assert (document.title, document.text, document.url) == (
        "Charte",
        "Charte Respect & écoute.",
        f"/spaces/budget/pages/{component.pk}/",
    )
    assert document.hidden  # the component is not published yet
