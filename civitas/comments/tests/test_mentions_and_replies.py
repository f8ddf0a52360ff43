"""Comments as read: outside links through the warning page, @mentions as profile links,
and a reply that brings its author back to the page of the conversation."""

import re

import pytest

from civitas.comments.models import Comment
from civitas.comments.services import comment_url, link_mentions, mention_profiles
from civitas.comments.tests.helpers import add, list_url, page_url
from civitas.components.proposals import services as proposals
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(org_a, admin_a):
    """A proposal, whose page shows its conversation."""
    component = published_component(
        published_space(org_a, admin_a), admin_a, "proposals", creation_enabled=True
    )
    draft = proposals.do_create_draft(user=admin_a, component=component, title="Des bancs", body="Dix bancs.")
    proposals.do_publish(proposal=draft, user=admin_a)
    return draft


def _body_of(html: str, comment) -> str:
    match = re.search(rf'id="comment-{comment.pk}".*?<div class="comment-body">(.*?)</div>', html, re.S)
    assert match, f"comment {comment.pk} is not on the page"
    return match.group(1)


def test_a_comment_links_outside_only_through_the_warning_page(client_a, user_a, page):
    comment = add(
        user_a, page, body="Voir https://evil.example/a et le <a href='https://evil.example/b'>site</a>."
    )
    # A row written before links were rewritten at render time.
    Comment.objects.filter(pk=comment.pk).update(body='<p><a href="https://evil.example/c">raw</a></p>')
    body = _body_of(client_a.get(list_url(page)).content.decode(), comment)
    assert 'href="/link/?url=https%3A%2F%2Fevil.example%2Fc"' in body
    assert 'rel="nofollow noopener noreferrer ugc"' in body
    assert 'href="https://evil.example' not in body


def test_mentions_of_members_link_to_their_profiles(client_a, user_a, bob, page, org_b):
    UserFactory(organization=org_b, nickname="stranger")
    comment = add(user_a, page, body="Merci @Bob ! Et @stranger, @nobody, bob@example.org.")
    body = _body_of(client_a.get(list_url(page)).content.decode(), comment)
    assert '<a class="mention" href="/profiles/bob/">@Bob</a>' in body
    # Someone of another organization, or nobody at all: plain text, no link.
    assert "@stranger" in body and "/profiles/stranger/" not in body
    assert "@nobody" in body and "/profiles/nobody/" not in body
    assert "bob@example.org" in body and body.count("/profiles/") == 1
    assert client_a.get("/profiles/bob/").status_code == 200


def test_link_mentions_leaves_markup_and_links_alone(bob, org_a):
    html = '<p><a href="/x">@bob</a> <strong>@bob</strong> &lt;@bob&gt;</p>'
    profiles = mention_profiles([html], org_a.pk)
    assert profiles == {"bob": "/profiles/bob/"}
    assert link_mentions(html, profiles) == (
        '<p><a href="/x">@bob</a> <strong><a class="mention" href="/profiles/bob/">@bob</a></strong> '
        '&lt;<a class="mention" href="/profiles/bob/">@bob</a>&gt;</p>'
    )
    assert link_mentions(html, {}) == html


def test_replying_brings_the_author_back_to_the_page_with_the_reply_in_view(client_a, user_a, bob, proposal):
    top = add(bob, proposal, body="Premier avis.")
    client_a.force_login(user_a)
    response = client_a.post(f"/comments/{top.pk}/reply/", {"body": "Je réponds.", "alignment": "neutral"})
    reply = Comment.objects.get(parent=top)
    assert response.status_code == 302
    assert response["Location"] == f"{proposal.get_absolute_url()}?comments_open={top.pk}#comment-{reply.pk}"
    html = client_a.get(response["Location"].split("#")[0]).content.decode()
    assert "Je réponds." in _body_of(html, reply)
    # A reply to the reply: both threads open on the same page.
    response = client_a.post(
        f"/comments/{reply.pk}/reply/", {"body": "Plus profond.", "alignment": "neutral"}
    )
    deeper = Comment.objects.get(parent=reply)
    assert (
        response["Location"]
        == f"{proposal.get_absolute_url()}?comments_open={top.pk},{reply.pk}#comment-{deeper.pk}"
    )
    html = client_a.get(response["Location"].split("#")[0]).content.decode()
    assert "Plus profond." in _body_of(html, deeper)


def test_opening_a_thread_of_another_conversation_shows_nothing_of_it(client_a, user_a, bob, proposal, page):
    elsewhere = add(bob, page, body="Ailleurs.")
    add(user_a, page, body="Réponse venue d’ailleurs.", parent=elsewhere)
    url = f"{proposal.get_absolute_url()}?comments_open={elsewhere.pk},abc,99999999999999"
    response = client_a.get(url)
    assert response.status_code == 200 and "venue d’ailleurs" not in response.content.decode()


def test_a_reply_beyond_the_first_page_of_replies_is_shown_on_the_replies_page(user_a, bob, page, settings):
    from civitas.comments import services

    top = add(bob, page, body="Premier avis.")
    replies = [add(user_a, page, body=f"Réponse {number}", parent=top) for number in range(3)]
    original = services.REPLIES_PAGE_SIZE
    services.REPLIES_PAGE_SIZE = 2
    try:
        assert comment_url(replies[2]) == f"/comments/{top.pk}/replies/#comment-{replies[2].pk}"
        assert comment_url(replies[1]).startswith(page_url(page))
    finally:
        services.REPLIES_PAGE_SIZE = original
