import pytest
from django.core import mail

from civitas.actionlog.models import ActionLogEntry
from civitas.components.proposals import services
from civitas.components.proposals.models import CustomState, EvaluationNote, Proposal
from civitas.spaces.models import SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(participant, proposals_component):
    draft = services.do_create_draft(
        user=participant,
        component=proposals_component,
        title="Un composteur au square Molière",
        body="Pour les déchets verts du quartier.",
    )
    services.do_publish(proposal=draft, user=participant)
    return draft


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space_id}/components/{component.pk}/proposals/{suffix}"


def _answer(client, proposal, **overrides):
    data = {
        "answer-answer_state": "accepted",
        "answer-answer": "Le composteur sera installé au printemps.",
        "answer-estimated_cost": "4500",
        "answer-feasibility_notes": "Terrain municipal disponible.",
    }
    data.update(overrides)
    return client.post(_admin_url(proposal.component, f"{proposal.pk}/"), data)


def test_answer_saved_then_published_in_a_batch(client_a, admin_a, proposal, on_commit):
    client_a.force_login(admin_a)
    assert _answer(client_a, proposal).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.NOT_ANSWERED and proposal.has_unpublished_answer
    public = client_a.get(proposal.get_absolute_url()).content.decode()
    assert "Le composteur sera installé" not in public
    # Publishing notifies people: it asks first, and without the box ticked publishes nothing.
    asked = client_a.post(_admin_url(proposal.component, "publish-answers/"))
    assert asked.status_code == 200 and 'name="confirm_act"' in asked.content.decode()
    proposal.refresh_from_db()
    assert proposal.has_unpublished_answer
    with on_commit():
        confirmed = client_a.post(_admin_url(proposal.component, "publish-answers/"), {"confirm_act": "1"})
        assert confirmed.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED and not proposal.has_unpublished_answer
    assert "Le composteur sera installé" in client_a.get(proposal.get_absolute_url()).content.decode()
    # The author follows their proposal: they are told.
    assert any(proposal.author.email in message.to for message in mail.outbox)
    assert ActionLogEntry.objects.filter(action="proposal.answers_publish_batch").count() == 1


def test_answer_published_at_once_and_revision_stays_private(client_a, admin_a, proposal, on_commit):
    client_a.force_login(admin_a)
    with on_commit():
        _answer(client_a, proposal, **{"answer-publish": "on"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.ACCEPTED
    _answer(client_a, proposal, **{"answer-answer_state": "rejected", "answer-answer": "Finalement non."})
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert "Le composteur sera installé" in page and "Finalement non" not in page


def test_acceptance_needs_an_explanation_and_costs_are_positive(client_a, admin_a, proposal):
    client_a.force_login(admin_a)
    assert _answer(client_a, proposal, **{"answer-answer": ""}).status_code == 200
    assert _answer(client_a, proposal, **{"answer-estimated_cost": "-3"}).status_code == 200
    proposal.refresh_from_db()
    assert proposal.answered_at is None


def test_custom_state_with_colour(client_a, admin_a, proposal, on_commit):
    client_a.force_login(admin_a)
    client_a.post(_admin_url(proposal.component, "states/"), {"name": "Fusionnée", "colour": "#7a1f5c"})
    state = CustomState.objects.get(component=proposal.component)
    with on_commit():
        _answer(client_a, proposal, **{"answer-answer_custom_state": state.pk, "answer-publish": "on"})
    page = client_a.get(proposal.get_absolute_url()).content.decode()
    assert f"custom-state-{state.pk}" in page and "Fusionnée" in page
    css = client_a.get(f"{proposal.component.get_absolute_url()}states.css").content.decode()
    assert f".custom-state-{state.pk}{{background:#7a1f5c;color:#ffffff}}" in css
    assert (
        client_a.post(_admin_url(proposal.component, "states/"), {"name": "X", "colour": "red"}).status_code
        == 302
    )
    assert CustomState.objects.count() == 1


def test_evaluators_see_only_their_proposals_and_cannot_publish(client_a, admin_a, proposal, participant):
    evaluator = UserFactory(organization=proposal.component.space.organization)
    SpaceRole.objects.create(space=proposal.component.space, user=evaluator, role="evaluator")
    client_a.force_login(evaluator)
    assert client_a.get(_admin_url(proposal.component, f"{proposal.pk}/")).status_code == 403
    client_a.force_login(admin_a)
    client_a.post(
        _admin_url(proposal.component, f"{proposal.pk}/evaluators/"),
        {"evaluators-evaluators": [evaluator.pk]},
    )
    client_a.force_login(evaluator)
    assert client_a.get(_admin_url(proposal.component, f"{proposal.pk}/")).status_code == 200
    client_a.post(
        _admin_url(proposal.component, f"{proposal.pk}/notes/"),
        {"note-body": "Vu avec les services techniques."},
    )
    assert EvaluationNote.objects.filter(proposal=proposal, author=evaluator).exists()
    _answer(client_a, proposal, **{"answer-publish": "on"})
    proposal.refresh_from_db()
    assert proposal.has_unpublished_answer and proposal.state == Proposal.State.NOT_ANSWERED
    assert client_a.post(_admin_url(proposal.component, "publish-answers/")).status_code == 403
    # Participants never reach evaluation pages, and notes never show publicly.
    client_a.force_login(participant)
    assert client_a.get(_admin_url(proposal.component, f"{proposal.pk}/")).status_code == 403
    assert "services techniques" not in client_a.get(proposal.get_absolute_url()).content.decode()


def test_each_evaluation_post_writes_one_log_entry(client_a, admin_a, proposal):
    client_a.force_login(admin_a)
    before = ActionLogEntry.objects.count()
    _answer(client_a, proposal)
    client_a.post(_admin_url(proposal.component, f"{proposal.pk}/notes/"), {"note-body": "Une note."})
    client_a.post(_admin_url(proposal.component, "states/"), {"name": "Étudiée", "colour": "#123456"})
    assert ActionLogEntry.objects.count() == before + 3


def test_export_streams_csv_and_json_for_admins_only(client_a, admin_a, proposal, participant):
    import csv
    import io
    import json

    client_a.force_login(participant)
    assert client_a.get(_admin_url(proposal.component, "export/")).status_code == 403
    client_a.force_login(admin_a)
    response = client_a.get(_admin_url(proposal.component, "export/"))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0]["title"] == "Un composteur au square Molière" and rows[0]["author"] == "paul"
    response = client_a.get(_admin_url(proposal.component, "export/"), {"format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert data[0]["id"] == proposal.pk and data[0]["supports"] == 0


def test_comments_export_streams_without_personal_data(client_a, admin_a, proposal, participant):
    import csv
    import io
    import json

    from civitas.comments.services import do_add_comment

    do_add_comment(user=participant, resource=proposal, body="Bonne idée, près de l’école.", alignment="for")
    url = _admin_url(proposal.component, "export/comments/")
    client_a.force_login(participant)
    assert client_a.get(url).status_code == 403
    client_a.force_login(admin_a)
    rows = list(
        csv.DictReader(io.StringIO(b"".join(client_a.get(url).streaming_content).decode("utf-8-sig")))
    )
    assert rows[0]["body"] == "Bonne idée, près de l’école." and rows[0]["author"] == "paul"
    assert "email" not in rows[0] and "paul@example.org" not in json.dumps(rows)
    data = json.loads(b"".join(client_a.get(url, {"format": "json"}).streaming_content))
    assert data[0]["proposal_id"] == proposal.pk


def test_saving_an_answer_keeps_supports_counted_meanwhile(admin_a, proposal, org_a):
    from civitas.components.proposals.answers import do_save_answer

    stale = Proposal.objects.get(pk=proposal.pk)  # the evaluator opened the form
    supporter = UserFactory(organization=org_a)
    services.do_support(proposal=proposal, user=supporter)
    do_save_answer(
        proposal=stale,
        user=admin_a,
        data={"answer_state": "evaluating", "answer": "À l'étude.", "feasibility_notes": ""},
        publish=True,
    )
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert proposal.state == "evaluating" and "À l'étude." in proposal.published_answer
