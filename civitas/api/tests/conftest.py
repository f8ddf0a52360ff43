"""Organization A with one of everything, visible and not, set up through the real services.

Everything the public must never get carries ``INVISIBLE`` in its text; everything it
must get carries ``VISIBLE``. The API tests look for both words in the answers.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from civitas.comments.services import do_add_comment, do_delete_comment
from civitas.components.debates.models import Debate
from civitas.components.meetings.models import Meeting
from civitas.components.meetings.services import do_register
from civitas.components.proposals import services as proposals
from civitas.components.proposals.answers import do_save_answer
from civitas.components.proposals.models import Proposal
from civitas.components.surveys import services as surveys
from civitas.components.surveys.models import Survey
from civitas.components.surveys.tests.conftest import Questionnaire
from civitas.components.surveys.tests.helpers import answer_many
from civitas.core.tests.conftest import world_b  # noqa: F401  (organization B of the security tests)
from civitas.moderation.services import do_block_user, do_hide, do_report
from civitas.spaces.models import Tag
from civitas.spaces.services import do_grant_role
from civitas.spam.models import SpamSettings
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

HIDDEN = "INVISIBLE"
SHOWN = "VISIBLE"


def publish(author, component, title, **fields):
    proposal = proposals.do_create_draft(
        user=author, component=component, title=title, body=f"<p>{title} body</p>", **fields
    )
    proposals.do_publish(proposal=proposal, user=author)
    return proposal


def hide(resource, moderator, reporter):
    moderation = do_report(user=reporter, resource=resource, reason="spam")
    do_hide(moderator=moderator, moderation=moderation, reason="spam")


def meeting(component, title, **fields):
    start = timezone.now() + timedelta(days=3)
    values = {
        "component": component,
        "title": title,
        "description": f"<p>{title}</p>",
        "start_time": start,
        "end_time": start + timedelta(hours=2),
        "published_at": timezone.now(),
        **fields,
    }
    return Meeting.objects.create(**values)


def _surveys(space, admin):
    published = published_component(space, admin, "surveys", f"{SHOWN} survey", answers_enabled=True)
    survey = Survey.objects.get_or_create(component=published)[0]
    answer_many(survey, Questionnaire(survey), 3)
    surveys.do_close(survey=survey, user=admin)
    surveys.do_set_results_published(survey=survey, user=admin, published=True)
    unpublished = published_component(space, admin, "surveys", "Survey without results", answers_enabled=True)
    closed = Survey.objects.get_or_create(component=unpublished)[0]
    surveys.do_close(survey=closed, user=admin)  # closed, results not published
    return published, unpublished


@pytest.fixture
def world(org_a, admin_a):
    # After-commit work (search indexing, spam scoring, e-mails) never runs here: the API
    # reads the rows themselves, and the world builds in a third of the time without it.
    return _build(org_a, admin_a)


def _build(org_a, admin_a):
    # Short test texts look like spam and would be held for review; here they must show.
    spam_settings = SpamSettings.for_organization(org_a)
    spam_settings.report_threshold = spam_settings.block_threshold = Decimal("1.00")
    spam_settings.save()
    author = UserFactory(organization=org_a, nickname="autrice", name=f"{SHOWN} Autrice")
    reporter = UserFactory(organization=org_a, nickname="rapporteur")
    spammer = UserFactory(organization=org_a, nickname="spammeur", name="Spammeur")
    member = UserFactory(organization=org_a, nickname="membre", name="Membre")
    space = published_space(org_a, admin_a, f"{SHOWN} space")
    private = published_space(org_a, admin_a, f"{HIDDEN} private space", visibility="private")
    do_grant_role(space=private, user=admin_a, person=member, role="member")
    ideas = published_component(
        space, admin_a, "proposals", f"{SHOWN} ideas", creation_enabled=True, supports="enabled"
    )
    private_ideas = published_component(
        private, admin_a, "proposals", f"{HIDDEN} ideas", creation_enabled=True
    )
    tag = Tag.objects.create(organization=org_a, name="Parcs")
    shown = publish(author, ideas, f"{SHOWN} proposal", tags=[tag])
    do_save_answer(
        proposal=shown,
        user=admin_a,
        data={"answer_state": "accepted", "answer": f"<p>{SHOWN} answer</p>", "estimated_cost": 1200},
        publish=True,
    )
    # After the answer: saving the answer writes the whole row it was given.
    proposals.do_support(proposal=Proposal.objects.get(pk=shown.pk), user=reporter)
    withdrawn = publish(author, ideas, f"{SHOWN} withdrawn proposal")
    proposals.do_withdraw(proposal=withdrawn, user=author)
    draft = proposals.do_create_draft(user=author, component=ideas, title=f"{HIDDEN} draft", body="<p>x</p>")
    hidden = publish(author, ideas, f"{HIDDEN} hidden proposal")
    by_spammer = publish(spammer, ideas, f"{HIDDEN} spam proposal")
    private_proposal = publish(member, private_ideas, f"{HIDDEN} private proposal")
    # Comments: one shown, one hidden with a reply, one deleted, one by the blocked account.
    comment = do_add_comment(user=reporter, resource=shown, body=f"<p>{SHOWN} comment</p>")
    do_add_comment(user=author, resource=shown, body=f"<p>{SHOWN} reply</p>", parent=comment)
    bad = do_add_comment(user=author, resource=shown, body=f"<p>{HIDDEN} hidden comment</p>")
    reply_to_bad = do_add_comment(user=reporter, resource=shown, body=f"<p>{HIDDEN} reply</p>", parent=bad)
    deleted = do_add_comment(user=author, resource=shown, body=f"<p>{HIDDEN} deleted comment</p>")
    do_delete_comment(user=author, comment=deleted)
    spam_comment = do_add_comment(user=spammer, resource=shown, body=f"<p>{HIDDEN} spam comment</p>")
    private_comment = do_add_comment(user=member, resource=private_proposal, body=f"<p>{HIDDEN} private</p>")
    hide(hidden, admin_a, reporter)
    hide(bad, admin_a, reporter)
    do_block_user(admin=admin_a, user=spammer, justification="spam")
    # Meetings and debates.
    meetings = published_component(space, admin_a, "meetings", f"{SHOWN} meetings")
    open_meeting = meeting(
        meetings, f"{SHOWN} meeting", kind="hybrid", address="Mairie", online_url="https://visio.example/open"
    )
    guarded = meeting(
        meetings,
        f"{SHOWN} meeting with registration",
        kind="online",
        online_url=f"https://visio.example/{HIDDEN}",
        registrations_enabled=True,
        capacity=10,
    )
    draft_meeting = meeting(meetings, f"{HIDDEN} draft meeting", published_at=None)
    debates = published_component(space, admin_a, "debates", f"{SHOWN} debates")
    debate = Debate.objects.create(
        component=debates, title=f"{SHOWN} debate", description="<p>?</p>", published_at=timezone.now()
    )
    do_add_comment(user=reporter, resource=debate, body=f"<p>{SHOWN} for</p>", alignment="for")
    draft_debate = Debate.objects.create(
        component=debates, title=f"{HIDDEN} draft debate", description="<p>?</p>"
    )
    survey_shown, survey_hidden = _surveys(space, admin_a)
    return {
        "organization": org_a,
        "admin": admin_a,
        "author": author,
        "member": member,
        "reporter": reporter,
        "space": space,
        "private_space": private,
        "ideas": ideas,
        "private_ideas": private_ideas,
        "tag": tag,
        "proposal": shown,
        "withdrawn": withdrawn,
        "draft": draft,
        "hidden": hidden,
        "by_spammer": by_spammer,
        "private_proposal": private_proposal,
        "comment": comment,
        "hidden_comment": bad,
        "reply_to_hidden": reply_to_bad,
        "deleted_comment": deleted,
        "spam_comment": spam_comment,
        "private_comment": private_comment,
        "meetings": meetings,
        "meeting": open_meeting,
        "guarded_meeting": guarded,
        "draft_meeting": draft_meeting,
        "debates": debates,
        "debate": debate,
        "draft_debate": draft_debate,
        "survey": survey_shown,
        "unpublished_survey": survey_hidden,
        "register": lambda user: do_register(user=user, meeting=guarded),
    }


@pytest.fixture
def api(org_a):
    """An anonymous client on A's host."""
    return Client(HTTP_HOST=org_a.host)
