"""Replies posted and loaded in place (htmx), and the same forms and links without JavaScript.

htmx sends ``HX-Request: true``; the answer is then a fragment: the new reply for the end
of its parent's replies (focused, and said in the page's live region), the reply form back
with its errors (422, retargeted at the form), or the replies of a comment. Without the
header the same URLs answer as before: a redirect to the conversation, or a page.
"""

import pytest
from django.urls import reverse

from civitas.comments.models import Comment
from civitas.comments.tests.helpers import add, list_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_conversation_loads_htmx_with_a_config_the_csp_allows(client_a, user_a, page):
    add(user_a, page, body="Premier avis.")
    client_a.force_login(user_a)
    html = client_a.get(list_url(page)).content.decode()
    assert "vendor/htmx.org/dist/htmx.min.js" in html and "civitas/live.js" in html
    assert 'name="htmx-config"' in html
    assert "&quot;allowEval&quot;:false" in html and "&quot;includeIndicatorStyles&quot;:false" in html
    assert 'id="live-status" role="status"' in html


def test_a_page_that_updates_nothing_in_place_does_not_load_htmx(client_a, user_a):
    client_a.force_login(user_a)
    html = client_a.get(reverse("accounts:settings")).content.decode()
    assert "htmx.min.js" not in html


def test_a_reply_posted_with_htmx_comes_back_alone_focused_and_announced(client_a, user_a, bob, page):
    parent = add(user_a, page, body="Il faut des bancs.")
    client_a.force_login(bob)
    html = client_a.get(list_url(page)).content.decode()
    # The form opens under the comment and posts in place, to the end of its replies.
    assert f'hx-post="/comments/{parent.pk}/reply/"' in html
    assert f'hx-target="#replies-{parent.pk}"' in html and f'id="replies-{parent.pk}"' in html
    response = client_a.post(
        reverse("comments:reply", args=[parent.pk]), {"body": "Oui, à l’ombre.", "next": "/x/"}, **HTMX
    )
    assert response.status_code == 200
    reply = Comment.objects.get(parent=parent)
    fragment = response.content.decode()
    assert fragment.startswith('<ol class="comment-list">') and "<html" not in fragment
    assert f'id="comment-{reply.pk}" tabindex="-1" data-live-focus' in fragment
    assert "Oui, à l’ombre." in fragment
    assert '<div id="live-status" hx-swap-oob="innerHTML">Votre réponse est publiée.</div>' in fragment


def test_an_empty_reply_with_htmx_comes_back_as_its_form_with_the_error(client_a, user_a, bob, page):
    parent = add(user_a, page, body="Il faut des bancs.")
    client_a.force_login(bob)
    response = client_a.post(reverse("comments:reply", args=[parent.pk]), {"body": "  "}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#reply-form-{parent.pk}" and response["HX-Reswap"] == "outerHTML"
    fragment = response.content.decode()
    assert f'id="reply-form-{parent.pk}"' in fragment and 'aria-invalid="true"' in fragment
    assert 'role="alert"' in fragment and "data-live-focus" in fragment
    assert not Comment.objects.filter(parent=parent).exists()


def test_without_javascript_a_reply_still_leads_back_to_the_conversation(client_a, user_a, bob, page):
    parent = add(user_a, page, body="Il faut des bancs.")
    client_a.force_login(bob)
    response = client_a.post(reverse("comments:reply", args=[parent.pk]), {"body": "D’accord."})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert response["Location"].endswith(f"#comment-{reply.pk}")
    landed = client_a.get(response["Location"]).content.decode()
    assert "Votre réponse est publiée." in landed


def test_replies_load_in_place_focused_and_the_toggle_goes(client_a, user_a, bob, page):
    parent = add(user_a, page, body="Il faut des bancs.")
    first = add(bob, page, body="Première réponse.", parent=parent)
    add(bob, page, body="Deuxième réponse.", parent=parent)
    client_a.force_login(user_a)
    html = client_a.get(list_url(page)).content.decode()
    assert f'id="replies-toggle-{parent.pk}"' in html and "Première réponse." not in html
    fragment = client_a.get(reverse("comments:replies", args=[parent.pk]), **HTMX).content.decode()
    assert "<html" not in fragment and "Deuxième réponse." in fragment
    assert f'id="comment-{first.pk}" tabindex="-1" data-live-focus' in fragment
    assert fragment.count("data-live-focus") == 1
    assert f'<p id="replies-toggle-{parent.pk}" hx-swap-oob="delete"></p>' in fragment
    # Without JavaScript the same link is a page of its own.
    page_html = client_a.get(reverse("comments:replies", args=[parent.pk])).content.decode()
    assert "<html" in page_html and "Première réponse." in page_html and "hx-swap-oob" not in page_html
