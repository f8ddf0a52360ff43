"""What an author is told after posting is true: "published" only when it is, "held" when
spam scoring holds it for a moderator.

Every flow where a participant posts something that spam scoring may hold: a comment, a
reply, a proposal, a debate. The database commits for real here (``transaction=True``),
as in production, so scoring runs where it does there: when the posting commits, before
the page that follows is chosen. The task queue is not needed for that (a test double
fails the test if it is used), and stays the fallback when scoring fails.
"""

import html
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.urls import reverse
from django.utils import translation

from civitas.comments.models import Comment
from civitas.components.debates.models import Debate
from civitas.components.proposals.models import Proposal
from civitas.spam import scoring, services, tasks
from civitas.spam.models import ContributionScore
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db(transaction=True)

SPAM, HAM = "Achetez des montres p=0.99", "Il faudrait aussi penser aux poussettes p=0.01"


def _fr(message) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


@pytest.fixture
def queued(monkeypatch, fixed_model):
    """The scoring model reads "p=…" in the text; the calls the task queue would get."""
    monkeypatch.setattr(scoring, "model_for", lambda organization: fixed_model)
    calls = []
    monkeypatch.setattr(tasks, "score_contribution_task", lambda label, pk: calls.append((label, pk)))
    return calls


@pytest.fixture
def author(org_a):
    return UserFactory(organization=org_a, nickname="paul", email="paul@example.org")


@pytest.fixture
def space(org_a, admin_a):
    return published_space(org_a, admin_a, "Budget participatif")


@pytest.fixture
def proposal(space, admin_a):
    from civitas.components.proposals import services as proposals

    component = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)
    proposal = proposals.do_create_draft(
        user=admin_a, component=component, title="Des bancs au parc", body="Oui"
    )
    proposals.do_publish(proposal=proposal, user=admin_a)
    return proposal


def _told(client, response) -> list[tuple[str, str]]:
    """The messages on the page the author lands on: (kind, text)."""
    assert response.status_code == 302
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    return [
        (kind, html.unescape(text)) for kind, text in re.findall(r'class="alert alert-(\w+)">(.*?)</p>', page)
    ]


def _comment(client, proposal, body, parent=None):
    if parent is not None:
        return client.post(reverse("comments:reply", args=[parent.pk]), {"body": body})
    content_type = ContentType.objects.get_for_model(proposal)
    return client.post(reverse("comments:add", args=[content_type.pk, proposal.pk]), {"body": body})


def test_a_held_comment_or_reply_is_never_called_published(client_a, author, proposal, queued):
    client_a.force_login(author)
    assert _told(client_a, _comment(client_a, proposal, HAM)) == [
        ("success", _fr("Your comment is published."))
    ]
    published = Comment.objects.get(body__contains="poussettes")
    assert _told(client_a, _comment(client_a, proposal, HAM + " encore", parent=published)) == [
        ("success", _fr("Your reply is published."))
    ]
    assert not mail.outbox

    posted = _comment(client_a, proposal, SPAM)
    # Back to the comments, not to a #comment-N the page does not show.
    assert posted["Location"].endswith("#comments")
    [(kind, message)] = _told(client_a, posted)
    held = Comment.objects.get(body__contains="montres")
    assert held.hidden_at is not None and ContributionScore.objects.get(object_id=held.pk).held
    assert kind == "warning" and message.startswith("Votre commentaire n’est pas encore publié")
    [(kind, message)] = _told(client_a, _comment(client_a, proposal, SPAM + " encore", parent=published))
    assert kind == "warning" and message.startswith("Votre réponse n’est pas encore publiée")
    # The e-mail the message announces, one per held contribution.
    assert [message.to for message in mail.outbox] == [[author.email], [author.email]]
    assert queued == []  # scored at posting, not later by the queue


def test_a_held_proposal_or_debate_is_never_called_published(client_a, admin_a, author, space, queued):
    proposals = published_component(space, admin_a, "proposals", "Projets", creation_enabled=True)
    debates = published_component(space, admin_a, "debates", "Débats", creation_enabled=True)
    client_a.force_login(author)
    told = {}
    for title, body in (("Un vrai projet pour le parc", HAM), ("Des montres de luxe à vendre", SPAM)):
        created = client_a.post(f"{proposals.get_absolute_url()}new/", {"title": title, "body": body})
        told[title] = _told(client_a, client_a.post(created["Location"]))
    assert told["Un vrai projet pour le parc"] == [("success", _fr("Your proposal is published."))]
    [(kind, message)] = told["Des montres de luxe à vendre"]
    assert kind == "warning" and message.startswith("Votre proposition n’est pas encore publiée")
    assert Proposal.objects.get(title__contains="montres").hidden_at is not None

    for title, body in (("Faut-il un marché le soir ?", HAM), ("Montres à prix cassés ici", SPAM)):
        told[title] = _told(
            client_a,
            client_a.post(f"{debates.get_absolute_url()}new/", {"title": title, "description": body}),
        )
    assert told["Faut-il un marché le soir ?"] == [("success", _fr("Your debate is open."))]
    [(kind, message)] = told["Montres à prix cassés ici"]
    assert kind == "warning" and message.startswith("Votre débat n’est pas encore ouvert")
    assert Debate.objects.get(title__contains="Montres").hidden_at is not None
    assert queued == []


def test_when_scoring_fails_the_comment_is_posted_and_the_queue_tries_again(
    client_a, author, proposal, queued, monkeypatch
):
    def broken(obj, **kwargs):
        raise RuntimeError("model file truncated")

    monkeypatch.setattr(services, "score_contribution", broken)
    client_a.force_login(author)
    assert _told(client_a, _comment(client_a, proposal, SPAM)) == [
        ("success", _fr("Your comment is published."))
    ]
    comment = Comment.objects.get()
    assert comment.hidden_at is None  # true when said: the queue may hold it later
    assert queued == [("comments.comment", comment.pk)]
