"""The national data set (bench/national/generate.py) looks as if the real code had made it.

Generated at a tiny scale into the test database: counters equal the rows they count,
one support per person and proposal, every reply in its parent's conversation, the big
thread at its size, search entries equal to what the real indexing writes, the schema
left as the migrations made it (indexes dropped for the load are back), and the pages
render.
"""

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils.html import escape

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the national data set is written with PostgreSQL's COPY: a PostgreSQL-only benchmark",
    ),
    pytest.mark.django_db,
]

BENCH = Path(__file__).resolve().parents[3] / "bench"
SCALE = 0.0005  # 250 accounts, 50 proposals, 500 supports, 500 comments, 1,000 signatures


def _schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.fixture(scope="module")
def dataset(django_db_setup, django_db_blocker):
    """Generated once for the module, inside a transaction rolled back at its end."""
    from django.db import transaction
    from django.test import TestCase
    from django.utils import timezone

    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from national.generate import Context, run, steps

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            before = _schema()
            context = Context(seed=2019, scale=SCALE, now=timezone.now().replace(microsecond=0))
            for step in steps():
                # Each step's tasks (indexing…) run when it ends, as they would on its commits.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    run(context, [step], report=lambda line: None)
            context.schema_before = before
            yield context
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _entries(resource_type):
    from civitas.search.models import IndexEntry

    fields = [f.name for f in IndexEntry._meta.fields if f.name not in ("id", "indexed_at")]
    entries = IndexEntry.objects.filter(resource_type=resource_type).order_by("object_id")
    return {row["object_id"]: row for row in entries.values(*fields)}


def test_counters_equal_the_rows_they_count(dataset):
    from django.db.models import Count, Q

    from civitas.comments.counters import recount_replies, recount_resources
    from civitas.comments.models import Comment
    from civitas.components.petitions.models import Signature
    from civitas.components.proposals.models import Proposal, Support

    proposals = Proposal.objects.filter(pk__in=dataset.proposals)
    assert proposals.count() == 50
    for proposal in proposals.annotate(counted=Count("supports", filter=Q(supports__counted=True))):
        assert proposal.support_count == proposal.counted
    assert Support.objects.count() == 500
    # One support per person and proposal (the unique constraint holds it; the rows too).
    assert Support.objects.values("proposal", "user").distinct().count() == 500

    stored_counts = dict(proposals.values_list("pk", "comment_count"))
    stored_replies = dict(Comment.objects.values_list("pk", "reply_count"))
    assert len(stored_replies) == 500
    # The real recount finds nothing to change.
    recount_replies(stored_replies)
    content_type = Comment.objects.values_list("content_type_id", flat=True).first()
    recount_resources(content_type, stored_counts)
    assert dict(Comment.objects.values_list("pk", "reply_count")) == stored_replies
    assert dict(proposals.values_list("pk", "comment_count")) == stored_counts
    assert sum(stored_counts.values()) == Comment.objects.counted().count()
    assert any(stored_replies.values())

    assert Signature.objects.filter(petition=dataset.petition).count() == 1000
    assert dataset.petition.counts()["total"] == 1000


def test_replies_stay_in_their_conversation(dataset):
    from civitas.comments.models import Comment

    replies = Comment.objects.filter(parent__isnull=False).select_related("parent")
    assert replies.exists()
    for reply in replies:
        parent = reply.parent
        assert (reply.content_type_id, reply.object_id) == (parent.content_type_id, parent.object_id)
        assert reply.depth == parent.depth + 1 <= 2
        assert reply.created_at > parent.created_at
        assert reply.component_id == parent.component_id


def test_one_proposal_holds_the_big_thread(dataset):
    from civitas.comments.models import Comment

    assert Comment.objects.filter(object_id=dataset.big_proposal).count() == dataset.scaled(5000)


def test_rows_are_what_the_real_code_stores(dataset):
    from django.db.models import F

    from civitas.comments.models import Comment
    from civitas.components.proposals.models import Proposal
    from civitas.core.richtext import sanitize_html
    from civitas.notifications.models import Follow
    from civitas.search.text import fold
    from civitas.versions.models import Version

    for proposal in Proposal.objects.filter(pk__in=dataset.proposals):
        assert sanitize_html(proposal.body) == proposal.body
        assert proposal.folded_title == fold(proposal.title)
        version = Version.objects.get(object_id=proposal.pk, number=1)
        assert version.fields == {"title": proposal.title, "body": proposal.body}
        assert Follow.objects.filter(user_id=proposal.author_id, object_id=proposal.pk).exists()
    for body in Comment.objects.filter(hidden_at__isnull=True).values_list("body", flat=True):
        assert sanitize_html(body) == body
    assert dataset.blocked and dataset.verified and dataset.spam_accounts
    # Each reply to someone else told that person, with a link to the reply.
    from civitas.notifications.models import Notification

    answered = Comment.objects.filter(parent__isnull=False).exclude(author=F("parent__author"))
    assert Notification.objects.filter(kind="comment_reply").count() == answered.count() > 0
    for reply in answered.select_related("parent")[:20]:
        notification = Notification.objects.get(
            user_id=reply.parent.author_id, url__endswith=f"#comment-{reply.pk}"
        )
        assert notification.created_at == reply.created_at


def test_search_entries_equal_what_the_indexing_writes(dataset, django_capture_on_commit_callbacks):
    from civitas.search.indexing import reindex_keys

    written = {kind: _entries(kind) for kind in ("proposal", "comment", "profile")}
    assert len(written["proposal"]) == 50
    assert len(written["comment"]) == 500
    assert len(written["profile"]) == 251  # the participants and the admin
    # Re-indexing a proposal re-indexes its comments and their replies (its dependents).
    keys = [(kind, pk) for kind in ("proposal", "profile") for pk in written[kind]]
    with django_capture_on_commit_callbacks(execute=True):
        reindex_keys(keys)
    for kind, entries in written.items():
        assert _entries(kind) == entries, kind


def test_the_schema_is_the_migrations_one(dataset):
    assert _schema() == dataset.schema_before


def test_pages_render(dataset):
    from civitas.components.proposals.models import Proposal

    client = Client(HTTP_HOST=dataset.organization.host)
    component = dataset.proposal_components[0]
    listing = client.get(component.get_absolute_url())
    assert listing.status_code == 200
    big = Proposal.objects.get(pk=dataset.big_proposal)
    page = client.get(big.get_absolute_url())
    assert page.status_code == 200
    assert escape(big.title) in page.content.decode()
    client.force_login(big.author)
    assert client.get(component.get_absolute_url()).status_code == 200
