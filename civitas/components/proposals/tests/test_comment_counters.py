"""Comment counters shown on proposals count only what a reader can see.

A reply hidden by moderation, a deleted reply and everything below a hidden comment are
left out of a comment's ``reply_count`` (the "show N replies" button) and of the
proposal's ``comment_count`` (the lists), and come back when moderation restores them.
"""

import threading

import pytest
from django.utils import translation

from civitas.comments import services as comments
from civitas.comments.models import Comment
from civitas.components.proposals import services
from civitas.moderation import services as moderation
from civitas.moderation.models import Moderation
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(proposals_component, admin_a):
    draft = services.do_create_draft(
        user=admin_a, component=proposals_component, title="Des bancs au parc", body="Dix bancs."
    )
    services.do_publish(proposal=draft, user=admin_a)
    return draft


@pytest.fixture
def people(org_a):
    return [UserFactory(organization=org_a, nickname=f"voisin{i}") for i in range(4)]


def _comment(user, proposal, parent=None, body="Bonne idée."):
    return comments.do_add_comment(user=user, resource=proposal, body=body, parent=parent)


def _counts(proposal, *comments_to_read):
    proposal.refresh_from_db()
    return proposal.comment_count, *(Comment.objects.get(pk=c.pk).reply_count for c in comments_to_read)


def _hide(comment, org_a):
    moderation.do_system_hide(organization=org_a, resource=comment, reason="Spam", action="test.hide")


def _unhide(comment, admin_a):
    record = Moderation.objects.get(object_id=comment.pk, content_type__model="comment")
    moderation.do_unhide(moderator=admin_a, moderation=record)


def test_hiding_and_restoring_a_reply(proposal, people, org_a, admin_a):
    first = _comment(people[0], proposal)
    reply = _comment(people[1], proposal, parent=first)
    _comment(people[2], proposal, parent=first)
    assert _counts(proposal, first) == (3, 2)
    _hide(reply, org_a)
    assert _counts(proposal, first) == (2, 1)
    _unhide(reply, admin_a)
    assert _counts(proposal, first) == (3, 2)


def test_hiding_a_comment_takes_its_replies_out_of_the_count(proposal, people, org_a, admin_a):
    first = _comment(people[0], proposal)
    reply = _comment(people[1], proposal, parent=first)
    _comment(people[2], proposal, parent=reply)
    _comment(people[3], proposal)
    assert _counts(proposal, first, reply) == (4, 1, 1)
    _hide(first, org_a)
    assert _counts(proposal) == (1,)
    _unhide(first, admin_a)
    assert _counts(proposal, first, reply) == (4, 1, 1)


def test_deleted_replies_are_not_counted(proposal, people):
    first = _comment(people[0], proposal)
    reply = _comment(people[1], proposal, parent=first)
    comments.do_delete_comment(user=people[1], comment=reply)
    assert _counts(proposal, first) == (1, 0)


def test_a_deleted_reply_with_replies_still_leads_to_them(proposal, people):
    first = _comment(people[0], proposal)
    reply = _comment(people[1], proposal, parent=first)
    _comment(people[2], proposal, parent=reply)
    comments.do_delete_comment(user=people[1], comment=reply)
    # The deleted reply is shown as such to keep its own reply reachable.
    assert _counts(proposal, first, reply) == (2, 1, 1)


def test_deleting_a_reply_inside_a_hidden_comment_counts_nothing_twice(proposal, people, org_a, admin_a):
    first = _comment(people[0], proposal)
    reply = _comment(people[1], proposal, parent=first)
    _hide(first, org_a)
    comments.do_delete_comment(user=people[1], comment=reply)
    assert _counts(proposal, first) == (0, 0)
    _unhide(first, admin_a)
    assert _counts(proposal, first) == (1, 0)


def test_blocking_an_author_hides_their_replies_from_the_counts(proposal, people, admin_a):
    first = _comment(people[0], proposal)
    _comment(people[1], proposal, parent=first)
    _comment(people[1], proposal)
    moderation.do_block_user(admin=admin_a, user=people[1], justification="Spam")
    assert _counts(proposal, first) == (1, 0)
    moderation.do_unblock_user(admin=admin_a, user=people[1])
    assert _counts(proposal, first) == (3, 1)


def _fr_plural(singular: str, plural: str, counter: int) -> str:
    with translation.override("fr"):
        return translation.ngettext(singular, plural, counter) % {"counter": counter}


def test_pages_show_the_counts_without_hidden_replies(client_a, proposal, people, org_a):
    first = _comment(people[0], proposal)
    hidden = _comment(people[1], proposal, parent=first)
    _comment(people[2], proposal, parent=first)
    _hide(hidden, org_a)
    detail = client_a.get(proposal.get_absolute_url()).content.decode()
    listing = client_a.get(proposal.component.get_absolute_url()).content.decode()
    show = "Show %(counter)s reply", "Show %(counter)s replies"
    assert _fr_plural(*show, 1) in detail and _fr_plural(*show, 2) not in detail
    counted = "%(counter)s comment", "%(counter)s comments"
    assert _fr_plural(*counted, 2) in listing and _fr_plural(*counted, 3) not in listing


@pytest.mark.django_db(transaction=True)
def test_simultaneous_replies_deletions_and_hiding_keep_the_counts_exact(proposal, org_a):
    from django.db import connection

    # 6 new replies, 6 deletions and 4 hidings at once on the replies of one comment.
    people = [UserFactory(organization=org_a, nickname=f"habitant{i}") for i in range(17)]
    first = _comment(people[0], proposal)
    replies = [_comment(people[1 + i], proposal, parent=first) for i in range(10)]
    barrier = threading.Barrier(16)
    errors = []

    def act(index):
        try:
            barrier.wait()
            if index < 6:
                _comment(people[11 + index], proposal, parent=first, body=f"Réponse {index}")
            elif index < 12:
                reply = replies[index - 6]
                comments.do_delete_comment(user=people[1 + index - 6], comment=reply)
            else:
                _hide(replies[index - 6], org_a)
        except Exception as error:  # a deadlock or a lost lock would land here
            errors.append(f"{index}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    shown_replies = Comment.objects.filter(parent=first, hidden_at__isnull=True, deleted_at__isnull=True)
    assert shown_replies.count() == 6 + 10 - 6 - 4
    assert _counts(proposal, first) == (1 + shown_replies.count(), shown_replies.count())
