"""Lists page by keyset: following ``next`` reads every object once, in order, whatever
is added or removed meanwhile; ``previous`` gives back the same pages; and no page counts
the list or skips rows with OFFSET, so the millionth object costs what the first does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.api.tests.helpers import get_json
from civitas.comments.models import Comment
from civitas.comments.services import do_add_comment
from civitas.components.proposals.models import Proposal
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

HOST = "http://commune-a.test"


def _ids(body) -> list[int]:
    return [item["id"] for item in body["results"]]


def _walk(client, path, link="next") -> list[dict]:
    pages = [get_json(client, path)]
    while pages[-1][link]:
        pages.append(get_json(client, pages[-1][link].removeprefix(HOST)))
    return pages


@pytest.fixture
def thread(org_a, admin_a):
    space = published_space(org_a, admin_a)
    ideas = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    proposal = Proposal.objects.create(
        component=ideas, author=admin_a, title="Un banc", body="<p>Un banc</p>", published_at=timezone.now()
    )
    author = UserFactory(organization=org_a)
    comments = [do_add_comment(user=author, resource=proposal, body=f"Avis {index}") for index in range(11)]
    # Four comments written in the same microsecond: the id breaks the tie.
    same_moment = timezone.now() - timedelta(days=1)
    Comment.objects.filter(pk__in=[comment.pk for comment in comments[3:7]]).update(created_at=same_moment)
    in_order = list(Comment.objects.filter(pk__in=[c.pk for c in comments]).order_by("created_at", "pk"))
    return proposal, author, [comment.pk for comment in in_order]


def test_next_reads_every_comment_once_in_order_and_previous_gives_the_same_pages(org_a, thread):
    proposal, _, expected = thread
    api = Client(HTTP_HOST=org_a.host)
    path = f"/api/v1/proposals/{proposal.pk}/comments/?page_size=3"
    forward = _walk(api, path)
    assert [len(page["results"]) for page in forward] == [3, 3, 3, 2]
    assert [pk for page in forward for pk in _ids(page)] == expected
    assert forward[0]["previous"] is None and forward[-1]["next"] is None
    backward = _walk(api, forward[-1]["previous"].removeprefix(HOST), link="previous")
    assert [_ids(page) for page in reversed(backward)] == [_ids(page) for page in forward[:-1]]
    assert backward[-1]["previous"] is None


def test_what_is_added_or_removed_while_reading_shifts_nothing_still_to_read(org_a, thread):
    proposal, author, expected = thread
    api = Client(HTTP_HOST=org_a.host)
    first = get_json(api, f"/api/v1/proposals/{proposal.pk}/comments/?page_size=3")
    # Meanwhile: the page's last comment is deleted, an older one too, and one is added.
    Comment.objects.filter(pk__in=[expected[2], expected[0]]).delete()
    added = do_add_comment(user=author, resource=proposal, body="Un nouvel avis")
    rest = _walk(api, first["next"].removeprefix(HOST))
    assert [pk for page in rest for pk in _ids(page)] == [*expected[3:], added.pk]


def test_a_deep_page_costs_what_the_first_does_and_never_counts_or_skips(org_a, thread):
    proposal, _, _ = thread
    api = Client(HTTP_HOST=org_a.host)
    path = f"/api/v1/proposals/{proposal.pk}/comments/?page_size=2"
    first_page = get_json(api, path)
    with CaptureQueriesContext(connection) as first:
        get_json(api, path)
    pages = _walk(api, path)
    with CaptureQueriesContext(connection) as deep:
        get_json(api, pages[-2]["next"].removeprefix(HOST))
    statements = [query["sql"].upper() for query in [*first.captured_queries, *deep.captured_queries]]
    assert not [sql for sql in statements if "COUNT(" in sql or " OFFSET " in sql]
    # The deep page asks once more, whether anything lies before it.
    assert len(deep.captured_queries) == len(first.captured_queries) + 1
    assert first_page["previous"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "%%%",
        "bm90IGpzb24",  # "not json"
        "WyJ4IiwgWzFdXQ",  # ["x", [1]]: no such direction
        "WyJhIiwgWyJoaWVyIiwgMV1d",  # ["a", ["hier", 1]]: not a moment
        "WyJhIixbbnVsbCw1XV0",  # ["a", [null, 5]]
        "WyJhIixbMWU0MDAsIDFdXQ",  # ["a", [1e400, 1]]
        "WyJhIixbIjk5OTktMTItMzFUMjM6NTk6NTktMTQ6MDAiLDVdXQ",  # a moment beyond year 9999 in UTC
        "WyJhIiwgezF9XQ",  # not a list of values
        "W" * 20_000,
    ],
)
def test_a_cursor_that_is_not_one_of_the_lists_links_gets_400_and_names_it(org_a, thread, cursor):
    proposal, _, _ = thread
    api = Client(HTTP_HOST=org_a.host)
    body = get_json(api, f"/api/v1/proposals/{proposal.pk}/comments/", {"cursor": cursor}, status=400)
    assert body["error"]["code"] == "bad_parameter" and "« cursor »" in body["error"]["message"]


def test_a_cursor_works_only_on_the_list_that_gave_it(org_a, admin_a, thread):
    proposal, author, _ = thread
    other = Proposal.objects.create(
        component=proposal.component,
        author=admin_a,
        title="Un arbre",
        body="<p>Un arbre</p>",
        published_at=timezone.now(),
    )
    do_add_comment(user=author, resource=other, body="Avis")
    api = Client(HTTP_HOST=org_a.host)
    cursor = get_json(api, f"/api/v1/proposals/{proposal.pk}/comments/?page_size=2")["next"].split("cursor=")[
        1
    ]
    for path in (f"/api/v1/proposals/{other.pk}/comments/", "/api/v1/proposals/", "/api/v1/meetings/"):
        body = get_json(api, f"{path}?cursor={cursor}", status=400)
        assert "« cursor »" in body["error"]["message"]


def test_numbered_pages_are_refused_rather_than_served_as_the_first_forever(org_a, thread):
    api = Client(HTTP_HOST=org_a.host)
    body = get_json(api, "/api/v1/proposals/", {"page": 2}, status=400)
    assert "« page »" in body["error"]["message"] and "next" in body["error"]["message"]


def test_the_edges_link_only_where_there_is_something(org_a, thread):
    proposal, _, expected = thread
    api = Client(HTTP_HOST=org_a.host)
    path = f"/api/v1/proposals/{proposal.pk}/comments/?page_size=4"
    pages = _walk(api, path)
    # Going back from the last page, the first page has no previous, and has a next.
    back = get_json(api, pages[1]["previous"].removeprefix(HOST))
    assert _ids(back) == expected[:4] and back["previous"] is None and back["next"]
    # Everything after a next link deleted: an empty page that still leads back.
    Comment.objects.filter(pk__in=expected[4:]).delete()
    empty = get_json(api, pages[0]["next"].removeprefix(HOST))
    assert empty["results"] == [] and empty["next"] is None
    assert _ids(get_json(api, empty["previous"].removeprefix(HOST))) == expected[:4]
