"""Who may read and who may write: the space's rules, publication and the per-phase switch."""

import dataclasses

import pytest
from django.contrib.messages import get_messages
from django.utils import translation

from civitas.comments import services
from civitas.comments.models import Comment
from civitas.comments.tests.helpers import add, add_url, list_url, make_page
from civitas.components.manifest import registry
from civitas.components.schema import Setting, SettingsSchema
from civitas.components.services import do_set_component_published
from civitas.spaces.models import Space, SpaceRole
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fr(message) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_anonymous_reads_but_cannot_post(client_a, user_a, page):
    add(user_a, page, body="Lisible par tous")
    html = client_a.get(list_url(page)).content.decode()
    assert "Lisible par tous" in html
    assert 'id="comment-new-body"' not in html and "/accounts/login/?next=" in html
    response = client_a.post(add_url(page), {"body": "Anonyme"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    comment = Comment.objects.get()
    for url in (f"/comments/{comment.pk}/reply/", f"/comments/{comment.pk}/vote/"):
        response = client_a.post(url, {"body": "Anonyme", "value": "up"})
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Comment.objects.count() == 1 and comment.votes.count() == 0
    assert not services.why_cannot_comment(user_a, page.component)


@pytest.mark.parametrize("visibility", [Space.Visibility.TRANSPARENT, Space.Visibility.PRIVATE])
def test_only_members_post_in_transparent_and_private_spaces(client_a, org_a, admin_a, user_a, visibility):
    page = make_page(org_a, admin_a, visibility=visibility)
    client_a.force_login(user_a)
    response = client_a.post(add_url(page), {"body": "Je ne suis pas membre"})
    if visibility == Space.Visibility.TRANSPARENT:
        # Everyone reads; only members write, and are told so.
        reason = _fr("Only members of this space can take part in the conversation.")
        assert response.status_code == 302 and response["Location"].endswith("#comments")
        assert _messages(response) == [reason]
        assert reason in client_a.get(list_url(page)).content.decode()
    else:
        assert response.status_code == 404  # its existence stays hidden
        assert client_a.get(list_url(page)).status_code == 404
    assert not Comment.objects.exists()
    with pytest.raises(services.CommentNotAllowed):
        add(user_a, page)

    SpaceRole.objects.create(space=page.component.space, user=user_a, role=SpaceRole.Role.MEMBER)
    user_a = type(user_a).objects.get(pk=user_a.pk)  # roles are cached on the user object
    assert client_a.post(add_url(page), {"body": "Membre"}).status_code == 302
    assert Comment.objects.filter(author=user_a).count() == 1


def test_unconfirmed_email_cannot_post(client_a, org_a, page):
    unconfirmed = UserFactory(organization=org_a, email_confirmed_at=None)
    client_a.force_login(unconfirmed)
    response = client_a.post(add_url(page), {"body": "Bonjour"})
    assert _messages(response) == [_fr("Confirm your e-mail address to take part in the conversation.")]
    assert not Comment.objects.exists()


def test_unpublished_component_hides_and_closes_comments(client_a, user_a, admin_a, page):
    comment = add(user_a, page)
    do_set_component_published(component=page.component, user=admin_a, published=False)
    client_a.force_login(user_a)
    assert client_a.get(list_url(page)).status_code == 404
    assert client_a.post(add_url(page), {"body": "Bonjour"}).status_code == 404
    assert client_a.post(f"/comments/{comment.pk}/reply/", {"body": "Bonjour"}).status_code == 404
    page.component.refresh_from_db()
    with pytest.raises(services.CommentNotAllowed):
        add(user_a, page)
    # Admins still see the conversation but nobody adds to it.
    client_a.force_login(admin_a)
    assert client_a.get(list_url(page)).status_code == 200
    assert client_a.post(add_url(page), {"body": "Admin"}).status_code == 302
    assert Comment.objects.count() == 1


def test_another_organizations_people_cannot_post(client_b, org_b, page):
    stranger = UserFactory(organization=org_b)
    client_b.force_login(stranger)
    assert client_b.post(add_url(page), {"body": "Intrus"}).status_code == 404
    assert client_b.get(list_url(page)).status_code == 404
    with pytest.raises(services.CommentNotAllowed):
        add(stranger, page)
    assert not Comment.objects.exists()


@pytest.fixture
def pages_with_comment_switch(monkeypatch):
    """The page component type, as if it declared the per-phase "comments_enabled" setting."""
    pages = registry.get("pages")
    switch = Setting("comments_enabled", "boolean", label="Comments are open", default=True)
    patched = dataclasses.replace(pages, phase_settings=SettingsSchema((*pages.phase_settings, switch)))
    monkeypatch.setitem(registry._manifests, "pages", patched)
    return patched


def test_comments_switched_off_in_this_phase(client_a, user_a, admin_a, page, pages_with_comment_switch):
    client_a.force_login(user_a)
    assert user_a.has_perm("comments.add_comment", page.component)
    configure_component(page.component, admin_a, comments_enabled=False)
    response = client_a.post(add_url(page), {"body": "Fermé ?"})
    assert _messages(response) == [_fr("Comments are closed during this phase.")]
    html = client_a.get(list_url(page)).content.decode()
    assert _fr("Comments are closed during this phase.") in html and 'id="comment-new-body"' not in html
    assert not Comment.objects.exists()

    configure_component(page.component, admin_a, comments_enabled=True)
    assert client_a.post(add_url(page), {"body": "Ouvert"}).status_code == 302
    assert Comment.objects.count() == 1


def test_without_the_switch_comments_are_open(user_a, page):
    assert "comments_enabled" not in {setting.name for setting in registry.get("pages").phase_settings}
    assert user_a.has_perm("comments.add_comment", page.component)


def test_rules(user_a, bob, page):
    comment = add(user_a, page)
    assert user_a.has_perm("comments.change_comment", comment)
    assert user_a.has_perm("comments.delete_comment", comment)
    assert not bob.has_perm("comments.change_comment", comment)
    assert bob.has_perm("comments.vote_comment", comment)
    assert not user_a.has_perm("comments.vote_comment", comment)  # not one's own
    assert bob.has_perm("comments.view_comments", page.component)
