"""New comments and proposals are scored after commit and held for review above the threshold."""

import pytest
from django.core import mail

from civitas.actionlog.models import ActionLogEntry
from civitas.comments.services import do_add_comment
from civitas.components.manifest import registry
from civitas.components.proposals import services as proposals
from civitas.components.services import do_add_component, do_set_component_published
from civitas.moderation import services as moderation
from civitas.moderation.models import Moderation
from civitas.spaces.services import do_create_space, do_set_published
from civitas.spam import services
from civitas.spam.models import ContributionScore

pytestmark = pytest.mark.django_db


def _proposal(org, admin, author, title="Des bancs au square", body="<p>Pour les anciens.</p>"):
    space = do_create_space(organization=org, user=admin, kind="process", title="Budget 2027")
    do_set_published(space=space, user=admin, published=True)
    component = do_add_component(space=space, user=admin, manifest=registry.get("proposals"), name="Idées")
    do_set_component_published(component=component, user=admin, published=True)
    draft = proposals.do_create_draft(user=author, component=component, title=title, body=body)
    proposals.do_publish(proposal=draft, user=author)
    return draft


def _comment_on_a_proposal(org, admin, author, body):
    return do_add_comment(user=author, resource=_proposal(org, admin, admin), body=body)


def test_spam_comment_is_held_and_a_legitimate_one_published(org_a, admin_a, user_a, on_commit):
    with on_commit():
        proposal = _proposal(org_a, admin_a, admin_a)
        spam = do_add_comment(
            user=user_a,
            resource=proposal,
            body="Buy cheap Cialis 20 MG tablets online, 20% savings at https://onlinepharmas.example, "
            "call +1 888 832 8409 now!",
        )
        ham = do_add_comment(
            user=user_a,
            resource=proposal,
            body="Je soutiens cette proposition, il faudrait aussi penser aux poussettes.",
        )
    spam.refresh_from_db()
    ham.refresh_from_db()
    assert spam.hidden_at is not None and ham.hidden_at is None
    held = ContributionScore.objects.get(object_id=spam.pk, content_type__model="comment")
    assert held.held and held.probability >= 0.70
    assert not ContributionScore.objects.get(object_id=ham.pk, content_type__model="comment").held
    queue_item = Moderation.objects.get(object_id=spam.pk, content_type__model="comment")
    assert queue_item.hidden_at is not None and queue_item.organization == org_a
    assert queue_item.reports.get().user is None
    assert ActionLogEntry.objects.filter(action="spam.hold_contribution", user__isnull=True).count() == 1
    # The author is told it waits for a moderator.
    assert [message.to for message in mail.outbox] == [[user_a.email]]
    # A moderator can show it again; scoring is never repeated for it.
    with on_commit():
        moderation.do_unhide(moderator=admin_a, moderation=queue_item)
    spam.refresh_from_db()
    assert spam.hidden_at is None
    assert services.score_contribution(spam) is None


def test_spam_proposal_is_held_admins_are_not_scored(org_a, admin_a, user_a, fixed_model, on_commit):
    proposal = _proposal(org_a, admin_a, user_a, title="Offre", body="<p>p=0.80</p>")
    score = services.score_contribution(proposal, model=fixed_model)
    proposal.refresh_from_db()
    assert score.held and proposal.hidden_at is not None
    by_admin = _proposal(org_a, admin_a, admin_a, title="Offre", body="<p>p=0.99</p>")
    assert services.score_contribution(by_admin, model=fixed_model) is None


def test_boundary_for_contributions(org_a, admin_a, user_a, fixed_model):
    below = _proposal(org_a, admin_a, user_a, body="<p>p=0.6999</p>")
    at = _proposal(org_a, admin_a, user_a, body="<p>p=0.70</p>")
    assert not services.score_contribution(below, model=fixed_model).held
    assert services.score_contribution(at, model=fixed_model).held
