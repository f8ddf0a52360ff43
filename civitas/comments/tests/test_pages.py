"""Pages of top-level comments read from the previous page's sort key (``keyset``): the
next comments without JavaScript as a page of their own, with htmx appended in place; no
page overlaps or skips another, and a thread of 500 costs the queries of a thread of 10."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.comments import services
from civitas.comments.models import Comment
from civitas.comments.services import PAGE_SIZE
from civitas.comments.tests.helpers import add, add_many, list_url, make_page, page_url
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

COMMENT_ID = re.compile(r'<article class="comment[^"]*" id="comment-(\d+)"')
NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next" hx-get="([^"]+)" hx-target="#comments-list"')


def _shown(html: str) -> list[int]:
    return [int(pk) for pk in COMMENT_ID.findall(html)]


def _next(html: str) -> tuple[str, str] | None:
    """The "Show more comments" link: its address without JavaScript, and htmx's."""
    found = NEXT_LINK.search(html)
    return (unescape(found[1]), unescape(found[2])) if found else None


def _walk(client, url: str, **headers) -> list[list[int]]:
    """Every page, following the "Show more comments" link without JavaScript."""
    pages = []
    while url:
        html = client.get(url, **headers).content.decode()
        pages.append(_shown(html))
        found = _next(html)
        url = found[0] if found else ""
        assert len(pages) < 50
    return pages


def test_pages_follow_one_another_without_overlap_or_gap(client_a, org_a, admin_a, user_a):
    page = make_page(org_a, admin_a)
    authors = [UserFactory(organization=org_a) for _ in range(3)]
    # Runs of comments posted at the same microsecond and sharing a score: only the id
    # tells them apart, across the pages' boundaries (20, 40).
    now = timezone.now() - timedelta(hours=1)
    comments = [
        *add_many(page, 15, authors=authors, start=now),
        *add_many(page, 12, authors=authors, start=now + timedelta(minutes=1), step=timedelta(0)),
        *add_many(page, 30, authors=authors, start=now + timedelta(minutes=2), step=timedelta(0)),
    ]
    for i, comment in enumerate(comments):
        comment.score = (i % 3) - 1  # three ties of about 19 comments each
    Comment.objects.bulk_update(comments, ["score"])
    hidden = comments[21]
    Comment.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    shown = [comment for comment in comments if comment.pk != hidden.pk]

    pages = _walk(client_a, list_url(page))
    assert [len(ids) for ids in pages] == [20, 20, 16]
    assert [pk for ids in pages for pk in ids] == [comment.pk for comment in shown]

    best = sorted(shown, key=lambda comment: (-comment.score, comment.created_at, comment.pk))
    pages = _walk(client_a, list_url(page) + "?comments_order=best")
    assert [pk for ids in pages for pk in ids] == [comment.pk for comment in best]

    # The same with htmx: each answer is the next comments, to append, never the hidden one.
    seen, url = [], list_url(page)
    html = client_a.get(url).content.decode()
    while found := _next(html):
        html = client_a.get(found[1], HTTP_HX_REQUEST="true").content.decode()
        seen.append(_shown(html))
    assert sum(seen, []) == [comment.pk for comment in shown[PAGE_SIZE:]]
    assert hidden.pk not in sum(seen, [])


def test_show_more_without_javascript_and_in_place(client_a, org_a, admin_a, user_a, bob):
    page = make_page(org_a, admin_a)
    comments = add_many(page, 45, authors=[bob])
    reply = add(user_a, page, body="Une réponse", parent=comments[25])
    client_a.force_login(user_a)

    html = client_a.get(list_url(page)).content.decode()
    assert _shown(html) == [comment.pk for comment in comments[:20]]
    assert "(46)" in html  # all visible comments, replies included
    assert "Afficher plus de commentaires" in html
    href, hx_get = _next(html)
    assert href.startswith(list_url(page) + "?comments_after=") and href.endswith("#comments")
    assert hx_get.startswith(list_url(page) + "?comments_order=oldest&comments_after=")

    # Without JavaScript: a page of its own, which says that earlier comments exist.
    second = client_a.get(href).content.decode()
    assert "<html" in second and _shown(second) == [comment.pk for comment in comments[20:40]]
    assert "Afficher les premiers commentaires" in second and f'href="{list_url(page)}#comments"' in second
    assert f"/comments/{comments[25].pk}/replies/" in second  # its reply, on demand as on the first page
    assert 'aria-pressed="false"' in second  # the reader may vote

    # With htmx: the comments alone, for the end of the list; the first takes the focus,
    # the link moves on, and the status region tells screen readers.
    fragment = client_a.get(hx_get, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and fragment.lstrip().startswith('<li class="comment-item">')
    assert _shown(fragment) == [comment.pk for comment in comments[20:40]]
    assert fragment.count("data-live-focus") == 1
    assert f'id="comment-{comments[20].pk}" tabindex="-1" data-live-focus' in fragment
    assert 'id="comments-more" hx-swap-oob="true"' in fragment
    assert '<div id="live-status" hx-swap-oob="innerHTML">20 commentaires de plus affichés.</div>' in fragment
    # Votes and deletions in appended comments come back to a page that shows them.
    # (This test resource's own page does not show its thread: the list page reads the same query.)
    back = unescape(re.search(r'name="next" value="([^"]+)"', fragment)[1])
    assert back.startswith(f"{page_url(page)}?comments_after=")
    same = client_a.get(f"{list_url(page)}?{back.split('?')[1]}").content.decode()
    assert _shown(same)[0] == comments[20].pk

    last = client_a.get(_next(fragment)[1], HTTP_HX_REQUEST="true").content.decode()
    assert _shown(last) == [comment.pk for comment in comments[40:]]
    assert '<p id="comments-more" hx-swap-oob="delete"></p>' in last
    assert reply.pk not in _shown(last)


@pytest.mark.parametrize("value", ["x", "1_2_3", "_", "-5_3", "99999999999999999999_1", "1_-1", ""])
def test_a_bad_cursor_shows_the_first_page(client_a, org_a, admin_a, bob, value):
    page = make_page(org_a, admin_a)
    comments = add_many(page, 25, authors=[bob])
    html = client_a.get(list_url(page), {"comments_after": value}).content.decode()
    assert _shown(html) == [comment.pk for comment in comments[:20]]


def test_a_link_to_a_comment_on_the_fifth_page(client_a, org_a, admin_a, user_a, bob):
    page = make_page(org_a, admin_a)
    comments = add_many(page, 110, authors=[bob])
    target = comments[85]  # the sixth comment of the fifth page
    reply = add(user_a, page, body="Réponse lointaine", parent=target)

    url = services.comment_url(target, page)
    assert "comments_after=" in url and url.endswith(f"#comment-{target.pk}")
    shown = _shown(client_a.get(url.replace(url.split("?")[0], list_url(page))).content.decode())
    assert shown[0] == target.pk and len(shown) == 20

    url = services.comment_url(reply, page)
    assert f"comments_open={target.pk}" in url and url.endswith(f"#comment-{reply.pk}")
    html = client_a.get(url.replace(url.split("?")[0], list_url(page))).content.decode()
    assert reply.pk in _shown(html) and "Réponse lointaine" in html

    # A comment of the first page keeps the plain address.
    assert services.comment_url(comments[19], page) == f"{url.split('?')[0]}#comment-{comments[19].pk}"


def test_same_queries_for_10_and_500_comments(client_a, org_a, admin_a, user_a):
    authors = [UserFactory(organization=org_a) for _ in range(5)]
    small, large = make_page(org_a, admin_a, title="Petit"), make_page(org_a, admin_a, title="Grand")
    add_many(small, 10, authors=authors)
    many = add_many(large, 500, authors=authors)
    services.do_vote(user=user_a, comment=many[410], value=1)
    client_a.force_login(user_a)

    def cost(url: str, **headers) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client_a.get(url, **headers)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    cost(list_url(small))  # caches warmed
    first_small, _html = cost(list_url(small))
    first_large, html = cost(list_url(large))
    assert first_small == first_large
    deep = services.comment_url(many[400], large).split("?")[1].split("#")[0]  # the 21st page
    deep_large, deep_html = cost(f"{list_url(large)}?{deep}")
    assert deep_large == first_large and _shown(deep_html)[0] == many[400].pk
    assert f'id="vote-up-{many[410].pk}" type="submit" name="value" value="none"' in deep_html
    best_small, _html = cost(list_url(small) + "?comments_order=best")
    best_large, _html = cost(list_url(large) + "?comments_order=best")
    assert best_small == best_large
    # "Show more comments" with htmx: the 2nd page and the 22nd cost the same.
    more_large, fragment = cost(_next(html)[1], HTTP_HX_REQUEST="true")
    more_deep, _html = cost(_next(deep_html)[1], HTTP_HX_REQUEST="true")
    assert more_large == more_deep and len(_shown(fragment)) == 20
