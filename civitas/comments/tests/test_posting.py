"""Adding, replying, editing and deleting comments; bad input stores nothing."""

import pytest
from django.contrib.messages import get_messages
from django.template.defaultfilters import date as date_filter
from django.utils import translation
from django.utils.timezone import localtime

from civitas.comments import services
from civitas.comments.models import BODY_MAX_LENGTH, Comment
from civitas.comments.tests.helpers import add, add_url, list_url, make_page, page_url
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fr(message) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


@pytest.fixture
def alice_client(client_a, user_a):
    client_a.force_login(user_a)
    return client_a


def test_add_a_comment(alice_client, user_a, page, org_a):
    response = alice_client.post(
        add_url(page),
        {"body": "Bonjour <strong>à tous</strong><script>alert(1)</script>", "alignment": "for"},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(page)}#comment-{comment.pk}"
    assert comment.author == user_a and comment.organization == org_a and comment.component == page.component
    assert comment.commentable == page and comment.depth == 0 and comment.parent is None
    assert comment.alignment == "for"
    assert comment.body == "<p>Bonjour <strong>à tous</strong></p>"
    html = alice_client.get(list_url(page)).content.decode()
    assert f'id="comment-{comment.pk}"' in html
    assert "Bonjour <strong>à tous</strong>" in html and "alert(1)" not in html
    assert "comment-alignment-for" in html
    assert f'<time datetime="{date_filter(localtime(comment.created_at), "c")}">' in html


def test_alignment_is_one_of_three(alice_client, page):
    assert alice_client.post(add_url(page), {"body": "Contre.", "alignment": "against"}).status_code == 302
    assert alice_client.post(add_url(page), {"body": "Neutre."}).status_code == 302
    response = alice_client.post(add_url(page), {"body": "Peut-être.", "alignment": "maybe"})
    assert response.status_code == 400
    assert _fr("Choose “in favour”, “against” or “no position”.") in response.content.decode()
    assert sorted(Comment.objects.values_list("alignment", flat=True)) == ["against", "neutral"]


def test_replies_up_to_three_levels(alice_client, user_a, bob, carol, page):
    first = add(user_a, page)
    reply = add(bob, page, parent=first)
    deeper = add(carol, page, parent=reply)
    assert (first.depth, reply.depth, deeper.depth) == (0, 1, 2)
    first.refresh_from_db()
    reply.refresh_from_db()
    assert (first.reply_count, reply.reply_count) == (1, 1)

    with pytest.raises(services.CommentError):
        add(user_a, page, parent=deeper)
    response = alice_client.post(f"/comments/{deeper.pk}/reply/", {"body": "Trop profond."})
    assert response.status_code == 400
    assert _fr("Conversations go three levels deep at most: reply to the comment above instead.") in (
        response.content.decode()
    )
    response = alice_client.post(add_url(page), {"body": "Trop profond.", "parent": deeper.pk})
    assert response.status_code == 400
    assert Comment.objects.count() == 3
    deeper.refresh_from_db()
    assert deeper.reply_count == 0

    # Through the reply form, the reply lands on the resource's page, its thread opened.
    response = alice_client.post(f"/comments/{reply.pk}/reply/", {"body": "Je réponds.", "alignment": "for"})
    mine = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{page_url(page)}?comments_open={reply.parent_id},{reply.pk}#comment-{mine.pk}"
    )
    assert mine.parent == reply and mine.depth == 2 and mine.alignment == "for"


@pytest.mark.parametrize(
    "data",
    [
        {"body": ""},
        {"body": "   \n  "},
        {"body": "<script>alert(1)</script>"},
        {"body": "x" * (BODY_MAX_LENGTH + 1)},
        {"body": "Bonjour", "parent": "999999"},
        {"body": "Bonjour", "parent": "abc"},
        {"body": "Bonjour", "parent": "-1"},
        {"body": "Bonjour", "alignment": "pour"},
    ],
    ids=[
        "empty",
        "blank",
        "only-script",
        "too-long",
        "unknown-parent",
        "not-a-number",
        "negative",
        "alignment",
    ],
)
def test_bad_input_stores_nothing(alice_client, page, data):
    response = alice_client.post(add_url(page), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="alert alert-error" role="alert"' in html
    assert Comment.objects.count() == 0
    if data["body"].strip() and "script" not in data["body"]:
        assert data["body"][:50] in html  # what was typed is given back


def test_clear_messages_for_empty_and_too_long(alice_client, page):
    html = alice_client.post(add_url(page), {"body": " "}).content.decode()
    assert _fr("Your comment is empty.") in html
    html = alice_client.post(add_url(page), {"body": "é" * 5001}).content.decode()
    assert "5001" in html and "5000" in html
    assert alice_client.post(add_url(page), {"body": "é" * 5000}).status_code == 302


def test_parent_from_another_resource_or_organization(alice_client, user_a, admin_a, org_a, org_b, page):
    other_page = make_page(org_a, admin_a, title="Autre espace")
    elsewhere = add(user_a, other_page)
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    foreign_page = make_page(org_b, admin_b)
    foreign = add(UserFactory(organization=org_b), foreign_page)

    for parent in (elsewhere, foreign):
        response = alice_client.post(add_url(page), {"body": "Réponse", "parent": parent.pk})
        assert response.status_code == 400
    with pytest.raises(services.CommentError):
        add(user_a, page, parent=elsewhere)
    # The other organization's comment does not even exist on this host.
    assert alice_client.post(f"/comments/{foreign.pk}/reply/", {"body": "Réponse"}).status_code == 404
    assert alice_client.get(f"/comments/{foreign.pk}/replies/").status_code == 404
    assert alice_client.get(list_url(foreign_page)).status_code == 404
    assert alice_client.post(add_url(foreign_page), {"body": "Intrus"}).status_code == 404
    assert Comment.objects.count() == 2


def test_cannot_reply_to_a_deleted_comment(alice_client, user_a, bob, page):
    first = add(bob, page)
    services.do_delete_comment(user=bob, comment=first)
    response = alice_client.post(f"/comments/{first.pk}/reply/", {"body": "Réponse"})
    assert response.status_code == 400
    assert Comment.objects.count() == 1


def test_edit_own_comment(alice_client, user_a, page):
    comment = add(user_a, page, body="Première ligne\nseconde & fin\n\nAutre paragraphe")
    response = alice_client.get(f"/comments/{comment.pk}/edit/")
    assert response.status_code == 200
    assert "Première ligne\nseconde &amp; fin\n\nAutre paragraphe</textarea>" in response.content.decode()
    response = alice_client.post(f"/comments/{comment.pk}/edit/", {"body": "Corrigé", "alignment": "against"})
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{comment.pk}")
    comment.refresh_from_db()
    assert comment.body == "<p>Corrigé</p>" and comment.alignment == "against" and comment.edited_at
    assert "comment-edited" in alice_client.get(list_url(page)).content.decode()
    # Bad input changes nothing.
    response = alice_client.post(f"/comments/{comment.pk}/edit/", {"body": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert comment.body == "<p>Corrigé</p>"


def test_cannot_edit_or_delete_others_comments(client_a, user_a, bob, page):
    comment = add(user_a, page, body="À moi")
    client_a.force_login(bob)
    assert client_a.get(f"/comments/{comment.pk}/edit/").status_code == 403
    assert client_a.post(f"/comments/{comment.pk}/edit/", {"body": "Piraté"}).status_code == 403
    response = client_a.post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        _fr("You can only change your own comments.")
    ]
    comment.refresh_from_db()
    assert comment.body == "<p>À moi</p>" and comment.deleted_at is None and comment.edited_at is None
    html = client_a.get(list_url(page)).content.decode()
    assert f"/comments/{comment.pk}/edit/" not in html and f"/comments/{comment.pk}/delete/" not in html
    client_a.logout()
    assert client_a.get(f"/comments/{comment.pk}/edit/").status_code == 302  # to log in
    with pytest.raises(services.CommentNotAllowed):
        services.do_edit_comment(user=bob, comment=comment, body="Piraté")


def test_delete_own_comment_keeps_replies(alice_client, user_a, bob, page):
    comment = add(user_a, page, body="Regrettable")
    reply = add(bob, page, body="Une réponse qui reste", parent=comment)
    response = alice_client.post(
        f"/comments/{comment.pk}/delete/", {"next": page_url(page), "confirm_delete": "1"}
    )
    assert response.status_code == 302 and response["Location"] == f"{page_url(page)}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == ""
    assert Comment.objects.filter(pk=reply.pk).exists()
    html = alice_client.get(list_url(page)).content.decode()
    assert "Regrettable" not in html and "is-deleted" in html
    assert f"/comments/{comment.pk}/replies/" in html
    assert "Une réponse qui reste" in alice_client.get(f"/comments/{comment.pk}/replies/").content.decode()
    assert alice_client.get(f"/comments/{comment.pk}/edit/").status_code == 403
    # An unsafe "next" is ignored.
    other = add(user_a, page)
    response = alice_client.post(
        f"/comments/{other.pk}/delete/", {"next": "https://evil.example/", "confirm_delete": "1"}
    )
    assert response["Location"].startswith(page_url(page))


def test_hidden_comments_are_invisible(client_a, user_a, bob, page):
    from django.utils import timezone

    shown = add(bob, page, body="Visible")
    hidden = add(bob, page, body="Caché par la modération")
    add(user_a, page, body="Réponse au caché", parent=hidden)
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    for user in (None, user_a, bob):
        if user:
            client_a.force_login(user)
        html = client_a.get(list_url(page)).content.decode()
        assert "Visible" in html and "Caché par la modération" not in html
        assert f'id="comment-{hidden.pk}"' not in html
        assert client_a.get(f"/comments/{hidden.pk}/replies/").status_code == 404
    assert "(1)" in client_a.get(list_url(page)).content.decode()  # only the visible one counted
    assert client_a.get(f"/comments/{hidden.pk}/edit/").status_code == 404
    assert client_a.post(f"/comments/{hidden.pk}/reply/", {"body": "x"}).status_code == 404
    hidden.refresh_from_db()
    assert not bob.has_perm("comments.change_comment", hidden)
    assert bob.has_perm("comments.change_comment", shown)
