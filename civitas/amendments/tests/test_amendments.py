"""Amending a proposal: writing, deciding, promoting, supporting, and who may do what."""

import pytest
from django.test import Client

from civitas.amendments import services
from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.components.proposals.models import Proposal
from civitas.notifications.models import Notification
from civitas.versions.services import latest_version, versions_of

pytestmark = pytest.mark.django_db

NEW_BODY = "<p>Douze bancs à l’ombre des tilleuls, et une fontaine.</p>"


def _client(org, user=None):
    client = Client(HTTP_HOST=org.host)
    if user is not None:
        client.force_login(user)
    return client


def _amend(world, user=None, *, title="Des bancs et une fontaine au square", body=NEW_BODY):
    return services.do_create(
        user=user or world.amender,
        target=world.proposal,
        fields={"title": title, "body": body},
        base_version=latest_version(world.proposal).number,
    )


def _new_url(world):
    return f"/amendments/new/proposals.proposal/{world.proposal.pk}/"


def test_a_participant_amends_from_the_current_text_and_the_author_is_told(world, on_commit):
    client = _client(world.org, world.amender)
    form = client.get(_new_url(world))
    assert form.status_code == 200
    page = form.content.decode()
    assert "Des bancs au square" in page and "Dix bancs" in page  # the form starts from the text
    with on_commit():
        response = client.post(
            _new_url(world),
            {"title": "Des bancs et une fontaine au square", "body": NEW_BODY, "base_version": 1},
        )
    amendment = Amendment.objects.get()
    assert response.status_code == 302 and response["Location"] == amendment.get_absolute_url()
    assert amendment.base_version == 1 and amendment.amender == world.amender and amendment.is_pending
    assert [version.number for version in versions_of(amendment)] == [1]
    notification = Notification.objects.get(user=world.author)
    assert notification.kind == "amendment_created"
    detail = client.get(amendment.get_absolute_url()).content.decode()
    assert (
        "<ins>" in detail and "Douze" in detail.split("<ins>", 1)[1] and "Dix" in detail.split("<del>", 1)[1]
    )


def test_accepting_makes_a_new_version_of_the_proposal_that_names_the_amendment(world, on_commit):
    amendment = _amend(world)
    client = _client(world.org, world.author)
    refused = client.post(f"/amendments/{amendment.pk}/accept/")  # the box not ticked
    assert refused.status_code == 302 and Amendment.objects.get().is_pending
    with on_commit():
        response = client.post(f"/amendments/{amendment.pk}/accept/", {"confirm_act": "1"})
    assert response.status_code == 302 and response["Location"] == world.proposal.get_absolute_url()
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert proposal.title == "Des bancs et une fontaine au square" and "Douze" in proposal.body
    version = latest_version(proposal)
    assert version.number == 2 and version.author == world.amender
    assert f"{amendment.pk}" in version.note and "Marc Amendeur" in version.note
    amendment.refresh_from_db()
    assert amendment.state == "accepted" and amendment.decided_by == world.author
    assert Notification.objects.get(user=world.amender).kind == "amendment_accepted"
    page = _client(world.org).get(proposal.get_absolute_url()).content.decode()
    assert "Douze bancs" in page and "amendment-state-accepted" in page


def test_accepting_after_the_proposal_changed_is_refused_and_changes_nothing(world):
    amendment = _amend(world)
    client = _client(world.org, world.author)
    client.post(
        f"{world.proposal.get_absolute_url()}edit/",
        {"title": "Des bancs au square", "body": "<p>Vingt bancs à l’ombre des tilleuls.</p>"},
    )
    assert latest_version(world.proposal).number == 2
    response = client.post(f"/amendments/{amendment.pk}/accept/", {"confirm_act": "1"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Rien n’a été modifié" in page or "Nothing was changed" in page
    assert "Vingt" in page.split("<ins>", 1)[1]  # what changed meanwhile is shown
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert "Vingt" in proposal.body and proposal.title == "Des bancs au square"
    assert latest_version(proposal).number == 2
    assert Amendment.objects.get().is_pending


def test_an_amendment_written_on_a_stale_form_is_refused_and_shows_what_changed(world):
    client = _client(world.org, world.amender)
    client.get(_new_url(world))
    world.proposal.body = "<p>Vingt bancs à l’ombre des tilleuls.</p>"
    world.proposal.save()
    from civitas.versions.services import record_version

    record_version(world.proposal, author=world.author)
    data = {"title": "Des bancs et une fontaine au square", "body": NEW_BODY, "base_version": 1}
    response = client.post(_new_url(world), data)
    assert response.status_code == 409 and not Amendment.objects.exists()
    assert 'name="base_version" value="2"' in response.content.decode()
    assert client.post(_new_url(world), {**data, "base_version": 2}).status_code == 302


def test_rejecting_with_a_reason_then_promoting_links_both_ways(world, on_commit):
    amendment = _amend(world)
    with on_commit():
        response = _client(world.org, world.author).post(
            f"/amendments/{amendment.pk}/reject/", {"reason": "Le budget ne suffit pas."}
        )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert amendment.state == "rejected" and amendment.rejection_reason == "Le budget ne suffit pas."
    assert Notification.objects.get(user=world.amender).kind == "amendment_rejected"
    client = _client(world.org, world.amender)
    response = client.post(f"/amendments/{amendment.pk}/promote/")
    amendment.refresh_from_db()
    promoted = Proposal.objects.get(pk=amendment.promoted_id)
    assert response["Location"] == promoted.get_absolute_url()
    assert promoted.author == world.amender and promoted.component == world.component
    assert promoted.published_at is not None and promoted.title == amendment.title
    assert f"/amendments/{amendment.pk}/" in client.get(promoted.get_absolute_url()).content.decode()
    assert promoted.get_absolute_url() in client.get(amendment.get_absolute_url()).content.decode()
    with pytest.raises(services.AmendmentError):
        services.do_promote(amendment=amendment, user=world.amender)  # only once


def test_only_a_rejected_amendment_can_be_promoted(world):
    pending = _amend(world)
    with pytest.raises(services.AmendmentError):
        services.do_promote(amendment=pending, user=world.amender)
    services.do_accept(amendment=pending, user=world.author)
    with pytest.raises(services.AmendmentError):
        services.do_promote(amendment=pending, user=world.amender)
    assert Proposal.objects.count() == 1


def test_the_amender_edits_and_withdraws_while_pending_with_versions_kept(world):
    amendment = _amend(world)
    client = _client(world.org, world.amender)
    response = client.post(
        f"/amendments/{amendment.pk}/edit/",
        {"title": "Des bancs et deux fontaines", "body": NEW_BODY, "base_version": 1},
    )
    assert response.status_code == 302
    assert [version.number for version in versions_of(amendment)] == [1, 2]
    asked = client.post(f"/amendments/{amendment.pk}/withdraw/")
    assert asked.status_code == 200 and Amendment.objects.get().is_pending  # asks first
    client.post(f"/amendments/{amendment.pk}/withdraw/", {"confirm_delete": "1"})
    amendment.refresh_from_db()
    assert amendment.state == "withdrawn"
    assert client.get(f"/amendments/{amendment.pk}/edit/").status_code == 404
    with pytest.raises(services.AmendmentError):
        services.do_accept(amendment=amendment, user=world.author)


def test_a_second_support_is_refused_and_counted_once(world):
    amendment = _amend(world)
    services.do_support(amendment=amendment, user=world.participant)
    with pytest.raises(services.AmendmentError):
        services.do_support(amendment=amendment, user=world.participant)
    client = _client(world.org, world.participant)
    client.post(f"/amendments/{amendment.pk}/support/")
    amendment.refresh_from_db()
    assert amendment.support_count == 1 and AmendmentSupport.objects.count() == 1
    with pytest.raises(services.AmendmentError):
        services.do_support(amendment=amendment, user=world.amender)  # not one's own
    client.post(f"/amendments/{amendment.pk}/support/", {"action": "withdraw"})
    amendment.refresh_from_db()
    assert amendment.support_count == 0


def test_nothing_changed_and_too_short_are_refused(world):
    with pytest.raises(services.AmendmentError):
        _amend(world, title="Des bancs au square", body="<p>Dix bancs à l’ombre des tilleuls.</p>")
    with pytest.raises(services.AmendmentError):
        _amend(world, title="Court")
    response = _client(world.org, world.amender).post(
        _new_url(world), {"title": "Court", "body": NEW_BODY, "base_version": 1}
    )
    assert response.status_code == 200 and not Amendment.objects.exists()
    assert "10" in response.content.decode()


def test_comments_follow_the_reactions_switch_and_the_visibility(world):
    from civitas.comments.services import CommentError, do_add_comment

    amendment = _amend(world)
    comment = do_add_comment(user=world.participant, resource=amendment, body="<p>Une fontaine, oui !</p>")
    amendment.refresh_from_db()
    assert amendment.comment_count == 1
    assert "Une fontaine, oui" in _client(world.org).get(amendment.get_absolute_url()).content.decode()
    world.configure(amendment_reactions_enabled=False)
    with pytest.raises(CommentError):
        do_add_comment(user=world.participant, resource=amendment, body="<p>Encore ?</p>")
    world.configure(amendment_reactions_enabled=True, settings={"amendments_visibility": "participants"})
    with pytest.raises(CommentError):
        do_add_comment(user=world.author, resource=amendment, body="<p>Entre nous</p>")
    assert (
        comment.body
        not in _client(world.org, world.author).get(amendment.get_absolute_url()).content.decode()
    )
