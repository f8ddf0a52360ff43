"""A comment's lasting address: it leads to the page that shows the comment now, to whoever
may read it, and search entries point to it (no count per comment when indexing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.comments import services
from civitas.comments.models import Comment
from civitas.comments.tests.helpers import add, add_many, make_page
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.search.indexing import rebuild
from civitas.search.models import IndexEntry
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permalink(comment) -> str:
    return reverse("comments:permalink", args=[comment.pk])


def test_the_permalink_leads_to_the_page_that_shows_the_comment_now(client_a, page, bob, carol):
    comments = add_many(page, services.PAGE_SIZE + 2, authors=[bob, carol])
    first, last = comments[0], comments[-1]
    for comment in (first, last):
        response = client_a.get(_permalink(comment))
        assert response.status_code == 302
        assert response["Location"] == services.comment_url(comment, page)
    assert "comments_after=" not in client_a.get(_permalink(first))["Location"]


def test_a_hidden_or_foreign_comment_has_no_permalink(
    client_a, client_b, org_a, admin_a, page, bob, on_commit
):
    with on_commit():
        comment = add(bob, page, body="Message publicitaire")
    assert client_b.get(_permalink(comment)).status_code == 404  # another organization's host
    do_report(user=admin_a, resource=comment, reason="spam")
    do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=comment.pk), reason="spam")
    assert client_a.get(_permalink(comment)).status_code == 404


def test_search_entries_of_comments_point_to_the_permalink_and_reindexing_reads_in_batches(
    org_a, admin_a, bob, on_commit
):
    def rebuild_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            rebuild(org_a)
        return len(queries)

    pages = [make_page(org_a, admin_a, title=f"Espace {index}") for index in range(6)]
    authors = [bob, *(UserFactory(organization=org_a) for _ in range(3))]
    add_many(pages[0], 1, authors=[bob])
    few = rebuild_queries()
    for resource in pages:
        add_many(resource, 3, authors=authors)  # without posting's checks: spam scoring holds alike ones
    many = rebuild_queries()

    for comment in Comment.objects.all():
        entry = IndexEntry.objects.get(resource_type="comment", object_id=comment.pk)
        assert entry.url == _permalink(comment)
    # 18 more comments, on 5 more pages, by 3 more accounts: a few more queries in all, fewer
    # than one per added comment (each read its page, and counted the comments before it).
    assert many - few < 18
