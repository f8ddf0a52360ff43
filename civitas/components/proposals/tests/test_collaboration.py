"""Co-authors of proposals and collaborative drafts: rules, lifecycle, conflicts, isolation."""

import csv
import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.accounts.services import do_delete_account
from civitas.actionlog.models import ActionLogEntry
from civitas.components.proposals import collaboration, services
from civitas.components.proposals.models import Coauthorship, CollaborativeDraft, DraftCollaborator, Proposal
from civitas.moderation.services import do_hide, do_report
from civitas.notifications.models import Notification
from civitas.spaces.services import do_grant_role
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.versions.services import versions_of

pytestmark = pytest.mark.django_db

BODY = "<p>Un préau couvert dans la cour de l’école des Lilas.</p>"


@pytest.fixture
def component(proposals_component, admin_a):
    configure_component(proposals_component, admin_a, collaborative_drafts_enabled=True)
    return proposals_component


@pytest.fixture
def people(org_a, org_b, component, admin_a):
    space_admin = UserFactory(organization=org_a, nickname="gestion")
    do_grant_role(space=component.space, user=admin_a, person=space_admin, role="admin")
    return {
        "anonymous": AnonymousUser(),
        "author": UserFactory(organization=org_a, nickname="ines", name="Inès"),
        "coauthor": UserFactory(organization=org_a, nickname="omar", name="Omar"),
        "requester": UserFactory(organization=org_a, nickname="rose", name="Rose"),
        "participant": UserFactory(organization=org_a, nickname="paulo", name="Paulo"),
        "space admin": space_admin,
        "other organization": UserFactory(organization=org_b, nickname="bruno", name="Bruno"),
    }


def _fresh(draft):
    return CollaborativeDraft.objects.select_related("component__space__active_phase").get(pk=draft.pk)


@pytest.fixture
def draft(component, people):
    draft = collaboration.do_open_draft(
        user=people["author"], component=component, title="Un préau pour l’école", body=BODY
    )
    request = collaboration.do_ask_to_join(draft=_fresh(draft), user=people["coauthor"])
    collaboration.do_answer_request(
        draft=_fresh(draft), user=people["author"], request_id=request.pk, accept=True
    )
    collaboration.do_ask_to_join(draft=_fresh(draft), user=people["requester"])
    return _fresh(draft)


def _proposal(author, component, title="Des bancs au square du marché"):
    proposal = services.do_create_draft(user=author, component=component, title=title, body=BODY)
    services.do_publish(proposal=proposal, user=author)
    return proposal


def _with_coauthor(proposal, coauthor):
    collaboration.do_invite_coauthor(proposal=proposal, user=proposal.author, nickname=coauthor.nickname)
    collaboration.do_answer_coauthorship(proposal=proposal, user=coauthor, accept=True)
    return Proposal.objects.select_related("component__space__active_phase", "author").get(pk=proposal.pk)


# --- Permissions: every action × phase × role ------------------------------------------------

DRAFT_ACTIONS_WHEN_ON = {
    "proposals.edit_draft": {"author", "coauthor"},
    "proposals.ask_to_join_draft": {"requester", "participant", "space admin"},
    "proposals.answer_draft_request": {"author", "coauthor"},
    "proposals.publish_draft": {"author", "coauthor"},
    "proposals.withdraw_draft": {"author", "coauthor"},
}
DRAFT_ACTIONS_WHEN_OFF = {
    **dict.fromkeys(DRAFT_ACTIONS_WHEN_ON, set()),
    # Withdrawing only closes a draft: a phase that ended must not leave it open for ever.
    "proposals.withdraw_draft": {"author", "coauthor"},
}
PARTICIPANTS = {"author", "coauthor", "requester", "participant", "space admin"}


@pytest.mark.parametrize("phase_on", [True, False], ids=["drafts on", "drafts off"])
@pytest.mark.parametrize("action", sorted(DRAFT_ACTIONS_WHEN_ON))
def test_each_draft_action_per_phase_and_role(action, phase_on, draft, people, component, admin_a):
    if not phase_on:
        configure_component(component, admin_a, collaborative_drafts_enabled=False)
    allowed = (DRAFT_ACTIONS_WHEN_ON if phase_on else DRAFT_ACTIONS_WHEN_OFF)[action]
    for role, person in people.items():
        assert person.has_perm(action, _fresh(draft)) == (role in allowed), (action, role, phase_on)


@pytest.mark.parametrize("phase_on", [True, False], ids=["drafts on", "drafts off"])
@pytest.mark.parametrize("action", ["proposals.open_draft", "proposals.join_draft"])
def test_opening_and_joining_drafts_per_phase_and_role(action, phase_on, people, component, admin_a):
    if not phase_on:
        configure_component(component, admin_a, collaborative_drafts_enabled=False)
        component.refresh_from_db()
    for role, person in people.items():
        expected = phase_on and role in PARTICIPANTS
        assert person.has_perm(action, component) == expected, (action, role, phase_on)


@pytest.mark.parametrize("phase_on", [True, False], ids=["drafts on", "drafts off"])
def test_co_author_rules_do_not_depend_on_the_drafts_phase(phase_on, people, component, admin_a):
    proposal = _with_coauthor(_proposal(people["author"], component), people["coauthor"])
    if not phase_on:
        configure_component(component, admin_a, collaborative_drafts_enabled=False)
    proposal = Proposal.objects.select_related("component__space__active_phase").get(pk=proposal.pk)
    for role, person in people.items():
        assert person.has_perm("proposals.manage_coauthors", proposal) == (role == "author"), role
        may_edit = role in {"author", "coauthor"}
        if person.is_authenticated:
            assert services.check_can_edit(proposal, person) is None if may_edit else True
            if not may_edit:
                with pytest.raises(services.ProposalError):
                    services.check_can_edit(proposal, person)


def test_a_refused_service_call_changes_nothing(draft, people):
    for role in ("participant", "requester", "space admin", "other organization"):
        with pytest.raises(services.ProposalError):
            collaboration.do_save_draft(
                draft=_fresh(draft),
                user=people[role],
                title="Autre titre du brouillon",
                body=BODY,
                started_from=3,
            )
        with pytest.raises(services.ProposalError):
            collaboration.do_publish_draft(draft=_fresh(draft), user=people[role])
    assert _fresh(draft).title == "Un préau pour l’école" and _fresh(draft).is_open
    with pytest.raises(services.ProposalError, match="déjà demandé"):
        collaboration.do_ask_to_join(draft=_fresh(draft), user=people["requester"])


# --- The edit conflict ---------------------------------------------------------------------


def test_two_authors_edit_from_the_same_version_the_second_is_refused_and_shown_the_difference(
    client_a, draft, people
):
    edit = f"{draft.get_absolute_url()}edit/"
    first, second = client_a, type(client_a)(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    first.force_login(people["author"])
    second.force_login(people["coauthor"])
    start = collaboration.draft_version_number(draft)
    for client in (first, second):  # both open the form on the same version
        assert f'name="started_from" value="{start}"' in client.get(edit).content.decode()

    mine = "<p>Un préau couvert et des bancs dans la cour de l’école des Lilas.</p>"
    theirs = "<p>Un préau couvert dans la cour de l’école des Lilas, financé par le budget.</p>"
    saved = first.post(edit, {"title": "Un préau pour l’école", "body": mine, "started_from": start})
    assert saved.status_code == 302

    refused = second.post(edit, {"title": "Un préau pour l’école", "body": theirs, "started_from": start})
    page = refused.content.decode()
    assert refused.status_code == 409
    assert "Inès" in page and "draft-conflict" in page
    assert "et des bancs</ins>" in page.replace('<span class="visually-hidden">]</span>', "")
    assert "financé par le budget" in page  # their own text is still in the form
    assert f'name="started_from" value="{start + 1}"' in page  # the form now starts from Inès's version
    assert _fresh(draft).body == mine  # nothing of Inès's was overwritten

    merged = "<p>Un préau couvert et des bancs dans la cour de l’école des Lilas, financé par le budget.</p>"
    again = second.post(edit, {"title": "Un préau pour l’école", "body": merged, "started_from": start + 1})
    assert again.status_code == 302
    versions = list(versions_of(draft))
    assert [version.author for version in versions[-2:]] == [people["author"], people["coauthor"]]
    assert versions[-2].fields["body"] == mine and versions[-1].fields["body"] == merged


def test_a_save_without_the_version_it_started_from_is_refused(client_a, draft, people):
    client_a.force_login(people["author"])
    response = client_a.post(
        f"{draft.get_absolute_url()}edit/", {"title": "Un préau pour tous", "body": BODY}
    )
    assert response.status_code == 200 and "plus à jour" in response.content.decode()
    assert _fresh(draft).title == "Un préau pour l’école"


# --- The lifecycle through the pages ------------------------------------------------------------


def test_open_request_accept_refuse_edit_publish(client_a, component, people, on_commit):
    base = f"{component.get_absolute_url()}drafts/"
    author, joiner, refused = people["author"], people["coauthor"], people["participant"]
    client_a.force_login(author)
    with on_commit():
        response = client_a.post(f"{base}new/", {"title": "Un composteur collectif", "body": BODY})
    draft = CollaborativeDraft.objects.get(title="Un composteur collectif")
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()

    for person in (joiner, refused):
        client_a.force_login(person)
        with on_commit():
            assert client_a.post(f"{draft.get_absolute_url()}requests/").status_code == 302
    assert Notification.objects.filter(user=author, kind="draft_join_requested").count() == 2

    client_a.force_login(author)
    page = client_a.get(draft.get_absolute_url()).content.decode()
    assert "Omar" in page and "Paulo" in page and "Demandes pour rejoindre" in page
    ask_of = {row.user_id: row.pk for row in draft.collaborators.all()}
    with on_commit():
        client_a.post(
            f"{draft.get_absolute_url()}requests/", {"request": ask_of[joiner.pk], "answer": "accept"}
        )
        client_a.post(
            f"{draft.get_absolute_url()}requests/", {"request": ask_of[refused.pk], "answer": "refuse"}
        )
    assert Notification.objects.filter(user=joiner, kind="draft_request_accepted").exists()
    assert Notification.objects.filter(user=refused, kind="draft_request_refused").exists()

    client_a.force_login(refused)
    assert client_a.get(f"{draft.get_absolute_url()}edit/").status_code == 403
    client_a.force_login(joiner)
    edited = "<p>Un composteur collectif au square, ouvert le samedi matin.</p>"
    response = client_a.post(
        f"{draft.get_absolute_url()}edit/",
        {"title": "Un composteur collectif", "body": edited, "started_from": 1},
    )
    assert response.status_code == 302

    # Publishing asks first, then makes the proposal with every author.
    asked = client_a.post(f"{draft.get_absolute_url()}publish/")
    assert asked.status_code == 200 and "confirm_act" in asked.content.decode()
    assert _fresh(draft).is_open
    with on_commit():
        published = client_a.post(f"{draft.get_absolute_url()}publish/", {"confirm_act": "1"})
    draft = _fresh(draft)
    proposal = draft.proposal
    assert draft.state == "published" and published["Location"] == proposal.get_absolute_url()
    assert proposal.author == author and proposal.coauthors == [joiner]
    assert proposal.published_at is not None and proposal.body == edited
    (first_version,) = versions_of(proposal)
    assert draft.get_absolute_url() in first_version.note
    assert Notification.objects.filter(user=author, kind="draft_published").exists()

    client_a.logout()
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert "Omar" in page and draft.get_absolute_url() in page
    assert "Omar" in client_a.get(component.get_absolute_url()).content.decode()  # the card
    client_a.force_login(author)
    assert client_a.get(f"{draft.get_absolute_url()}edit/").status_code == 403


def test_any_author_withdraws_a_draft_after_confirming(client_a, draft, people):
    client_a.force_login(people["coauthor"])
    assert client_a.post(f"{draft.get_absolute_url()}withdraw/").status_code == 200
    assert _fresh(draft).is_open
    client_a.post(f"{draft.get_absolute_url()}withdraw/", {"confirm_delete": "1"})
    assert _fresh(draft).state == "withdrawn"
    client_a.force_login(people["participant"])
    assert client_a.post(f"{draft.get_absolute_url()}withdraw/", {"confirm_delete": "1"}).status_code == 403


def test_drafts_are_listed_by_state_and_open_drafts_accept_comments(client_a, draft, component, people):
    listing = client_a.get(f"{component.get_absolute_url()}drafts/").content.decode()
    assert "Un préau pour" in listing
    assert "Omar" in listing
    assert (
        'href="/' in listing
        and f'{component.get_absolute_url()}drafts/"'
        in client_a.get(component.get_absolute_url()).content.decode()
    )  # the proposals list links to the drafts tab
    from civitas.comments.services import do_add_comment

    comment = do_add_comment(
        user=people["participant"], resource=_fresh(draft), body="<p>Et un point d’eau ?</p>"
    )
    assert comment.pk and _fresh(draft).comment_count == 1


# --- Moderation: a hidden draft's history stays hidden ----------------------------------------


def test_a_hidden_draft_and_its_history_are_hidden_but_for_its_authors_and_moderators(
    client_a, draft, people, admin_a
):
    history = f"/history/proposals.collaborativedraft/{draft.pk}/"
    assert client_a.get(history).status_code == 200
    moderation = do_report(user=people["participant"], resource=draft, reason="spam")
    do_hide(moderator=admin_a, moderation=moderation, reason="spam")
    assert ActionLogEntry.objects.filter(user=admin_a, action__contains="hide").exists()
    assert client_a.get(history).status_code == 404
    assert client_a.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in client_a.get(f"{draft.component.get_absolute_url()}drafts/").content.decode()
    for role, status in (("author", 200), ("coauthor", 200), ("space admin", 200), ("participant", 404)):
        client_a.force_login(people[role])
        assert client_a.get(history).status_code == status, role
    assert not people["coauthor"].has_perm("proposals.edit_draft", _fresh(draft))


# --- Tenant isolation -------------------------------------------------------------------------


def test_another_organization_sees_nothing_and_cannot_be_invited(client_b, draft, people, component):
    for path in (
        draft.get_absolute_url(),
        f"{component.get_absolute_url()}drafts/",
        f"/history/proposals.collaborativedraft/{draft.pk}/",
    ):
        assert client_b.get(path).status_code == 404, path
    proposal = _proposal(people["author"], component)
    with pytest.raises(services.ProposalError, match="bruno"):
        collaboration.do_invite_coauthor(proposal=proposal, user=people["author"], nickname="bruno")
    client_b.force_login(people["other organization"])
    assert client_b.post(f"{draft.get_absolute_url()}requests/").status_code == 404
    assert not DraftCollaborator.objects.filter(user=people["other organization"]).exists()


# --- Co-authors of a proposal ---------------------------------------------------------------


def test_invitation_acceptance_and_where_co_authors_show(client_a, component, people, on_commit, admin_a):
    author, coauthor = people["author"], people["coauthor"]
    proposal = _proposal(author, component)
    client_a.force_login(author)
    with on_commit():
        client_a.post(f"{proposal.get_absolute_url()}coauthors/", {"nickname": "@Omar"})
    (notification,) = Notification.objects.filter(user=coauthor, kind="proposal_coauthor_invited")
    assert notification.url == proposal.get_absolute_url()
    client_a.force_login(coauthor)
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert "Accepter de cosigner" in page
    with on_commit():
        client_a.post(f"{proposal.get_absolute_url()}coauthors/", {"answer": "accept"})
    assert Notification.objects.filter(user=author, kind="proposal_coauthor_accepted").exists()

    client_a.logout()
    assert "Omar" in client_a.get(proposal.get_absolute_url()).content.decode()
    assert "Omar" in client_a.get(component.get_absolute_url()).content.decode()
    api = client_a.get(reverse("api:proposal_detail", kwargs={"proposal_id": proposal.pk}))
    assert api.status_code == 200, api.content
    assert api.json()["coauthors"] == [{"name": "Omar", "nickname": "omar"}]
    client_a.force_login(admin_a)
    export = client_a.get(
        reverse(
            "proposals_admin:export", kwargs={"space_id": component.space_id, "component_id": component.pk}
        )
    )
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["coauthors"] == "omar"


def test_a_co_author_edits_but_only_the_author_withdraws(client_a, component, people):
    proposal = _with_coauthor(_proposal(people["author"], component), people["coauthor"])
    client_a.force_login(people["coauthor"])
    response = client_a.post(
        f"{proposal.get_absolute_url()}edit/",
        {"title": "Des bancs au square du marché", "body": BODY + "<p>Six.</p>"},
    )
    assert response.status_code == 302
    assert versions_of(proposal).last().author == people["coauthor"]
    with pytest.raises(services.ProposalError):
        services.do_withdraw(proposal=proposal, user=people["coauthor"])
    assert Proposal.objects.get(pk=proposal.pk).state != "withdrawn"


def test_removing_a_co_author_and_leaving(client_a, component, people):
    proposal = _with_coauthor(_proposal(people["author"], component), people["coauthor"])
    collaboration.do_invite_coauthor(proposal=proposal, user=people["author"], nickname="paulo")
    collaboration.do_answer_coauthorship(proposal=proposal, user=people["participant"], accept=True)
    rows = {row.user_id: row for row in proposal.coauthorships.all()}
    with pytest.raises(services.ProposalError):  # a co-author does not remove another
        collaboration.do_end_coauthorship(
            proposal=proposal, user=people["coauthor"], coauthorship_id=rows[people["participant"].pk].pk
        )
    client_a.force_login(people["coauthor"])
    client_a.post(f"{proposal.get_absolute_url()}coauthors/", {"end": rows[people["coauthor"].pk].pk})
    client_a.force_login(people["author"])
    client_a.post(f"{proposal.get_absolute_url()}coauthors/", {"end": rows[people["participant"].pk].pk})
    states = dict(proposal.coauthorships.values_list("user__nickname", "state"))
    assert states == {"omar": "left", "paulo": "removed"}
    assert Proposal.objects.get(pk=proposal.pk).coauthors == []
    with pytest.raises(services.ProposalError):
        services.check_can_edit(Proposal.objects.get(pk=proposal.pk), people["coauthor"])


def test_account_deletion_lapses_pending_invitations_and_keeps_accepted_ones(component, people, draft):
    proposal = _with_coauthor(_proposal(people["author"], component), people["coauthor"])
    other = _proposal(people["author"], component, title="Une piste cyclable rue Haute")
    collaboration.do_invite_coauthor(proposal=other, user=people["author"], nickname="omar")
    do_delete_account(people["coauthor"])
    do_delete_account(people["requester"])
    assert other.coauthorships.get().state == Coauthorship.State.DECLINED
    (kept,) = Proposal.objects.get(pk=proposal.pk).coauthors
    assert kept.public_name == "Deleted participant" or kept.is_deleted
    assert not draft.collaborators.filter(user=people["requester"]).exists()


# --- Constant queries ---------------------------------------------------------------------


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_drafts_list_costs_the_same_queries_at_any_size(client_a, component, people):
    path = f"{component.get_absolute_url()}drafts/"
    client_a.force_login(people["participant"])

    def add_drafts(count):
        for index in range(count):
            opened = collaboration.do_open_draft(
                user=people["author"], component=component, title=f"Brouillon numéro {index:03}", body=BODY
            )
            for role in ("coauthor", "requester"):
                ask = collaboration.do_ask_to_join(draft=_fresh(opened), user=people[role])
                collaboration.do_answer_request(
                    draft=_fresh(opened), user=people["author"], request_id=ask.pk, accept=True
                )

    add_drafts(2)
    small = _queries(client_a, path)
    add_drafts(18)
    assert _queries(client_a, path) == small


def test_the_proposals_list_with_co_authors_costs_the_same_queries_at_any_size(client_a, component, people):
    path = f"{component.get_absolute_url()}?order=recent"
    client_a.force_login(people["participant"])
    _with_coauthor(_proposal(people["author"], component), people["coauthor"])
    small = _queries(client_a, path)
    for index in range(15):
        proposal = _proposal(people["author"], component, title=f"Proposition commune numéro {index:03}")
        _with_coauthor(proposal, people["coauthor"])
        _with_coauthor(proposal, people["requester"])
    assert _queries(client_a, path) == small
