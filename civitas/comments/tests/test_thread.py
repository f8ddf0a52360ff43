"""Pages of comments: pagination, sorting, replies on demand, and a constant number of queries."""

import re

import pytest
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from civitas.accounts.services import do_delete_account
from civitas.comments import services
from civitas.comments.keyset import EPOCH, MICROSECOND, key_before
from civitas.comments.models import Comment
from civitas.comments.tests.helpers import add, add_url, list_url, make_page, page_url
from civitas.components.pages.models import Page
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMENT_ID = re.compile(r'<article class="comment[^"]*" id="comment-(\d+)"')


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in COMMENT_ID.findall(html)]


def test_a_new_comment_beyond_the_first_page(client_a, user_a, bob, page):
    """(Pages themselves: test_pages.py.) The redirect after posting leads to a page that
    starts at the new comment when the first page is full."""
    comments = [add(bob if i % 2 else user_a, page, body=f"Commentaire {i}") for i in range(20)]
    add(user_a, page, parent=comments[0])
    html = client_a.get(list_url(page)).content.decode()
    assert _shown(html) == [c.pk for c in comments]
    assert "(21)" in html  # all visible comments, replies included
    assert "comments_after" not in html  # nothing more to show

    client_a.force_login(user_a)
    response = client_a.post(add_url(page), {"body": "Le vingt et unième"})
    newest = Comment.objects.latest("pk")
    micros = (newest.created_at - EPOCH) // MICROSECOND
    after = f"{micros}_{newest.pk - 1}"
    assert response["Location"] == f"{page_url(page)}?comments_after={after}#comment-{newest.pk}"
    html = client_a.get(f"{list_url(page)}?comments_after={after}").content.decode()
    assert _shown(html) == [newest.pk]


def test_replies_on_demand(client_a, user_a, bob, carol, page):
    first = add(user_a, page, body="Premier")
    replies = [add(bob, page, body=f"Réponse {i}", parent=first) for i in range(3)]
    deeper = add(carol, page, body="Plus profond", parent=replies[0])
    html = client_a.get(list_url(page)).content.decode()
    url = f"/comments/{first.pk}/replies/"
    assert "Réponse 0" not in html
    assert f'<a href="{url}" hx-get="{url}" hx-target="#replies-{first.pk}" hx-swap="innerHTML">' in html

    fragment = client_a.get(url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and text.lstrip().startswith("<ol")
    assert _shown(text) == [r.pk for r in replies]
    assert "Plus profond" not in text and f"/comments/{replies[0].pk}/replies/" in text

    page_html = client_a.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in page_html and _shown(page_html) == [first.pk, *[r.pk for r in replies]]
    deeper_html = client_a.get(f"/comments/{replies[0].pk}/replies/").content.decode()
    assert _shown(deeper_html) == [replies[0].pk, deeper.pk]
    assert f'href="/comments/{first.pk}/replies/#comment-{replies[0].pk}"' in deeper_html  # up one level
    assert client_a.get("/comments/999999/replies/").status_code == 404


def test_thread_include_and_htmx_list(client_a, user_a, page):
    add(user_a, page, body="Inclus")
    request = RequestFactory().get(page_url(page))
    request.user, request.organization = user_a, page.component.space.organization
    html = Template('{% include "comments/thread.html" with resource=page %}').render(
        RequestContext(request, {"page": page})
    )
    assert 'id="comments"' in html and "Inclus" in html
    assert f'action="{add_url(page)}"' in html
    fragment = client_a.get(list_url(page), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="comments"') and "<html" not in fragment


def test_thread_hidden_from_those_who_cannot_see(user_a, page, admin_a):
    from civitas.components.services import do_set_component_published

    do_set_component_published(component=page.component, user=admin_a, published=False)
    request = RequestFactory().get("/")
    request.user, request.organization = user_a, page.component.space.organization
    html = Template('{% include "comments/thread.html" with resource=page %}').render(
        RequestContext(request, {"page": page})
    )
    assert html.strip() == ""


def test_deleted_accounts_show_as_deleted_participant(client_a, user_a, page):
    add(user_a, page, body="Toujours là")
    do_delete_account(user_a)
    html = client_a.get(list_url(page)).content.decode()
    assert "Toujours là" in html and "Participant supprimé" in html and "/profiles/deleted-" not in html


def _fill(page, organization, count: int, voter) -> None:
    authors = [UserFactory(organization=organization) for _ in range(4)]
    for i in range(count):
        comment = add(authors[i % 4], page, body=f"Commentaire {i} de @{authors[(i + 1) % 4].nickname}")
        if i % 3 == 0:
            add(authors[(i + 1) % 4], page, parent=comment)
        if i % 2 == 0:
            services.do_vote(user=voter, comment=comment, value=1 if i % 4 else -1)
    # One comment of the reader's own, deleted ones, and an author who left.
    add(voter, page, body="Le mien")
    services.do_delete_comment(user=authors[0], comment=Comment.objects.filter(author=authors[0]).first())
    do_delete_account(authors[1])


def _queries(callable_) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        result = callable_()
    return len(captured), result


def test_constant_number_of_queries(client_a, org_a, admin_a, user_a):
    small = make_page(org_a, admin_a, title="Petit")
    large = make_page(org_a, admin_a, title="Grand")
    _fill(small, org_a, 5, user_a)
    _fill(large, org_a, 150, user_a)
    client_a.force_login(user_a)

    def render_thread(page_pk, query=""):
        request = RequestFactory().get(f"/x/{query}")
        # Fresh objects each time: nothing cached from the previous rendering.
        request.user = type(user_a).objects.get(pk=user_a.pk)
        request.organization = org_a
        resource = Page.objects.get(pk=page_pk)
        html = Template('{% include "comments/thread.html" with resource=resource %}').render(
            RequestContext(request, {"resource": resource})
        )
        return html

    def start_at(page, index):  # a page further on, starting at the index-th comment
        comment = Comment.objects.filter(object_id=page.pk, depth=0).order_by("created_at", "pk")[index]
        return f"?comments_after={key_before(comment)}"

    for small_query, large_query, small_shown in (
        ("", "", 6),
        ("?comments_order=best", "?comments_order=best", 6),
        (start_at(small, 1), start_at(large, 80), 5),  # the fifth page of the large thread
    ):
        render_thread(small.pk, small_query)  # warm the content-type cache
        small_count, small_html = _queries(lambda q=small_query: render_thread(small.pk, q))
        large_count, large_html = _queries(lambda q=large_query: render_thread(large.pk, q))
        assert len(_shown(large_html)) == 20 and len(_shown(small_html)) == small_shown
        assert 'aria-pressed="true"' in large_html
        assert small_count == large_count, (large_query, small_count, large_count)
        # The reader and the page (2), the component and its space (2: the reader's roles are
        # read only when publication and visibility leave the answer open), then the comments:
        # the count (this test resource keeps no counter) and the page (2), the people they
        # @mention (1). The unread-notification count of the context processors is not read:
        # the thread does not show it. Plus the verifications commenting requires in the
        # component (1, read once per rendering).
        assert large_count == 8

    client_a.get(list_url(small))
    small_count, small_response = _queries(lambda: client_a.get(list_url(small)))
    large_count, large_response = _queries(lambda: client_a.get(list_url(large)))
    assert small_response.status_code == large_response.status_code == 200
    assert small_count == large_count

    # Anonymous readers too.
    client_a.logout()
    small_count, _response = _queries(lambda: client_a.get(list_url(small)))
    large_count, _response = _queries(lambda: client_a.get(list_url(large)))
    assert small_count == large_count

    # And the replies of a comment, whatever their number.
    few = Comment.objects.filter(object_id=small.pk, depth=0, deleted_at=None).first()
    many = Comment.objects.filter(object_id=large.pk, depth=0, deleted_at=None).first()
    add(user_a, small, body="Une seule réponse", parent=few)
    for i in range(40):
        add(user_a, large, body=f"Réponse {i}", parent=many)
    client_a.force_login(user_a)
    client_a.get(f"/comments/{few.pk}/replies/", HTTP_HX_REQUEST="true")
    few_count, _response = _queries(
        lambda: client_a.get(f"/comments/{few.pk}/replies/", HTTP_HX_REQUEST="true")
    )
    many_count, _response = _queries(
        lambda: client_a.get(f"/comments/{many.pk}/replies/", HTTP_HX_REQUEST="true")
    )
    assert few_count == many_count
