"""Up and down votes: one per person and comment, switched or withdrawn, counted exactly."""

import pytest
from django.db import IntegrityError, transaction

from civitas.comments import services
from civitas.comments.models import Comment, CommentVote
from civitas.comments.tests.helpers import add, list_url

pytestmark = pytest.mark.django_db


def _counts(comment):
    comment.refresh_from_db()
    return comment.ups, comment.downs, comment.score


@pytest.fixture
def comment(user_a, page):
    return add(user_a, page, body="À voter")


@pytest.fixture
def bob_client(client_a, bob):
    client_a.force_login(bob)
    return client_a


def test_vote_up_switch_and_cancel(bob_client, bob, comment):
    url = f"/comments/{comment.pk}/vote/"
    assert bob_client.post(url, {"value": "up"}).status_code == 302
    assert _counts(comment) == (1, 0, 1)
    assert CommentVote.objects.get().value == 1
    bob_client.post(url, {"value": "down"})
    assert _counts(comment) == (0, 1, -1)
    assert CommentVote.objects.get().value == -1
    bob_client.post(url, {"value": "up"})
    assert _counts(comment) == (1, 0, 1)
    bob_client.post(url, {"value": "none"})
    assert _counts(comment) == (0, 0, 0)
    assert not CommentVote.objects.exists()
    bob_client.post(url, {"value": "none"})  # cancelling twice is harmless
    assert _counts(comment) == (0, 0, 0)


def test_buttons_show_the_readers_vote(bob_client, bob, comment, page):
    html = bob_client.get(list_url(page)).content.decode()
    assert 'name="value" value="up" aria-pressed="false"' in html
    services.do_vote(user=bob, comment=comment, value=1)
    html = bob_client.get(list_url(page)).content.decode()
    # Pressed: pressing again withdraws the vote.
    assert 'name="value" value="none" aria-pressed="true"' in html
    assert 'name="value" value="down" aria-pressed="false"' in html


def test_double_submit_counts_once(bob_client, bob, comment):
    url = f"/comments/{comment.pk}/vote/"
    for _ in range(2):
        assert bob_client.post(url, {"value": "up"}).status_code == 302
    assert _counts(comment) == (1, 0, 1)
    assert CommentVote.objects.filter(comment=comment, user=bob).count() == 1


def test_a_stale_read_is_caught_by_the_unique_constraint(bob, comment, monkeypatch):
    """Two requests read "no vote yet"; the second insert fails on the constraint and reads again."""
    services.do_vote(user=bob, comment=comment, value=1)
    real = services._current_vote
    calls = []

    def stale_then_real(comment, user):
        calls.append(1)
        return None if len(calls) == 1 else real(comment, user)

    monkeypatch.setattr(services, "_current_vote", stale_then_real)
    assert services.do_vote(user=bob, comment=comment, value=1) == 1
    assert len(calls) == 2
    assert _counts(comment) == (1, 0, 1)
    calls.clear()
    assert services.do_vote(user=bob, comment=comment, value=-1) == -1  # switch after a stale read
    assert _counts(comment) == (0, 1, -1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentVote.objects.create(comment=comment, user=bob, value=1)


def test_many_voters(comment, org_a):
    from civitas.testing.factories import UserFactory

    voters = [UserFactory(organization=org_a) for _ in range(5)]
    for voter, value in zip(voters, (1, 1, 1, -1, 1), strict=True):
        services.do_vote(user=voter, comment=comment, value=value)
    services.do_vote(user=voters[0], comment=comment, value=-1)
    services.do_vote(user=voters[1], comment=comment, value=0)
    assert _counts(comment) == (2, 2, 0)
    ups = CommentVote.objects.filter(comment=comment, value=1).count()
    downs = CommentVote.objects.filter(comment=comment, value=-1).count()
    assert (ups, downs) == (2, 2)


def test_bad_votes_store_nothing(bob_client, client_a, user_a, bob, comment):
    url = f"/comments/{comment.pk}/vote/"
    for value in ("", "sideways", "1", "UP"):
        assert bob_client.post(url, {"value": value}).status_code == 302
    assert bob_client.get(url).status_code == 405
    client_a.force_login(user_a)
    client_a.post(url, {"value": "up"})  # one's own comment
    with pytest.raises(services.CommentNotAllowed):
        services.do_vote(user=user_a, comment=comment, value=1)
    with pytest.raises(services.CommentError):
        services.do_vote(user=bob, comment=comment, value=2)
    services.do_delete_comment(user=user_a, comment=comment)
    comment.refresh_from_db()
    with pytest.raises(services.CommentNotAllowed):
        services.do_vote(user=bob, comment=comment, value=1)
    assert not CommentVote.objects.exists()
    assert _counts(comment) == (0, 0, 0)


def test_htmx_vote_answers_the_comment(bob_client, comment):
    response = bob_client.post(
        f"/comments/{comment.pk}/vote/", {"value": "down", "next": "/somewhere/"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith("<article") and f'id="comment-{comment.pk}"' in html
    assert 'value="none" aria-pressed="true"' in html
    assert 'name="next" value="/somewhere/"' in html
    response = bob_client.post(f"/comments/{comment.pk}/vote/", {"value": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400


def test_best_order(client_a, user_a, bob, carol, page):
    low = add(bob, page, body="Moins bien")
    high = add(carol, page, body="Meilleur")
    for comment, value in ((low, -1), (high, 1)):
        services.do_vote(user=user_a, comment=comment, value=value)
    html = client_a.get(list_url(page)).content.decode()
    assert html.index("Moins bien") < html.index("Meilleur")
    html = client_a.get(list_url(page) + "?comments_order=best").content.decode()
    assert html.index("Meilleur") < html.index("Moins bien")
    assert Comment.objects.get(pk=high.pk).score == 1
