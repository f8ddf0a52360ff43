"""A participant who did one of everything finds all of it in their GDPR export.

And what is secret by design stays out of everyone's export: the answers to a
consultation and the ballots of a vote (online or keyed from paper), the content of paper
forms keyed by staff, and, in a blocked account's export, the moderator who blocked it.
"""

import datetime
import io
import json
import uuid
import zipfile

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.actionlog.models import ActionLogEntry
from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.authorizations.handlers import HANDLERS
from civitas.authorizations.models import Authorization
from civitas.ballotbox.models import ClosingJob
from civitas.comments.models import Comment, CommentVote
from civitas.components.budgets import services as budgets
from civitas.components.budgets.models import Budget, Project
from civitas.components.debates.models import Debate
from civitas.components.majority_judgment import services as mj
from civitas.components.majority_judgment.models import Candidate, PaperBatch, PaperKeying, PaperPrintRun
from civitas.components.meetings.models import Meeting, Registration
from civitas.components.proposals.models import (
    Coauthorship,
    CollaborativeDraft,
    DraftCollaborator,
    EvaluationNote,
    Proposal,
    Support,
)
from civitas.components.sortition import services as sortition
from civitas.components.sortition.models import PaperKeying as SortitionKeying
from civitas.components.sortition.models import Volunteer
from civitas.components.surveys import services as surveys
from civitas.components.surveys.models import Batch, Keying, PrintRun, Survey, ThemeEdit
from civitas.components.surveys.tests.conftest import Questionnaire
from civitas.components.surveys.tests.helpers import post_data
from civitas.core.gdpr import build_export, registrations
from civitas.identity.models import IdentityProvider, ProviderAccount
from civitas.moderation.models import Moderation, Report, UserBlock
from civitas.notifications.models import Follow, Notification, NotificationPreference
from civitas.people.models import Invitation
from civitas.spaces.models import SpaceRole
from civitas.spam.models import AccountScore, DigestSent
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.versions.services import record_version

pytestmark = pytest.mark.django_db

SURVEY_KEYED_TEXT = "Texte saisi depuis le papier"
VOLUNTEER_KEYED_NAME = "Gisèle Volontaire-Papier"


def _export(user) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(build_export(user)))
    return {
        name.removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def _raw(user) -> str:
    archive = zipfile.ZipFile(io.BytesIO(build_export(user)))
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


@pytest.fixture
def world(org_a, admin_a, user_a):
    """Alice (user_a) takes part in everything, staff duties included; Bob writes a proposal."""
    alice, moderator = user_a, admin_a
    bob = UserFactory(organization=org_a, nickname="bob", name="Bob Martin")
    space = published_space(org_a, moderator, "Budget participatif 2027")
    now = timezone.now()
    world = {"alice": alice, "bob": bob, "moderator": moderator, "space": space}

    SpaceRole.objects.create(space=space, user=alice, role=SpaceRole.Role.EVALUATOR)
    Invitation.objects.create(
        organization=org_a,
        email=alice.email,
        role="space_evaluator",
        space=space,
        token_hash="0" * 64,
        invited_by=moderator,
        expires_at=now + datetime.timedelta(days=7),
        accepted_at=now,
        accepted_by=alice,
    )
    NotificationPreference.objects.create(user=alice, email_frequency="daily")
    Authorization.objects.create(
        user=alice, organization=org_a, handler="census", granted_on=datetime.date(2026, 11, 2)
    )
    franceconnect = IdentityProvider.objects.create(
        organization=org_a,
        kind="franceconnect",
        name="FranceConnect",
        discovery_url="https://fc.example/.well-known/openid-configuration",
        client_id="civitas",
        client_secret="secret",
        scopes="openid birthdate birthplace",
        kept_data=["birth"],
    )
    ProviderAccount.objects.create(
        user=alice,
        provider=franceconnect,
        subject="fc-subject-alice",
        birth_date=datetime.date(1990, 5, 17),
        birth_place="69123",
    )
    AccountScore.objects.create(
        user=alice,
        organization=org_a,
        probability=0.123456,
        model_version="v7",
        fingerprint="f" * 32,
        scanned_at=now,
    )
    DigestSent.objects.create(user=alice, day=datetime.date(2026, 11, 30))
    # The terms she accepted, and a help page she wrote when she helped run the platform.
    from civitas.legal import services as legal

    terms = legal.do_publish_terms(
        organization=org_a, user=moderator, title="", body="<p>Respect.</p>", summary="Première version"
    )
    legal.do_accept_terms(user=alice, version=terms)
    legal.do_create_help_page(
        organization=org_a, user=alice, title="Comment voter", slug="voter", body="<p>Ainsi.</p>"
    )
    TOTPDevice.objects.create(user=alice, name="Téléphone", confirmed=True)
    ActionLogEntry.objects.create(
        organization=org_a,
        user=alice,
        space=space,
        action="proposal.edit",
        target_type="proposals.Proposal",
        target_id="1",
        target_repr="Un banc",
        before={"title": "Banc", "body": "Bob's address is 3 rue X"},
        after={"title": "Un banc", "body": "Bob's address is 3 rue X"},
    )

    # Proposals: her own, a support and, as evaluator, an assignment and a note on Bob's.
    proposals = published_component(space, moderator, "proposals", "Propositions", creation_enabled=True)
    own = Proposal.objects.create(
        component=proposals, author=alice, title="Un banc place du marché", body="<p>Pour s’asseoir</p>"
    )
    own.evaluators.add(moderator)
    record_version(own, author=alice)  # her words, as the history keeps them
    bobs = Proposal.objects.create(component=proposals, author=bob, title="Une fontaine", body="<p>Eau</p>")
    bobs.evaluators.add(alice)
    Support.objects.create(proposal=bobs, user=alice, component=proposals)
    EvaluationNote.objects.create(proposal=bobs, author=alice, body="Coût à vérifier")
    # Amendments: she amends Bob's proposal, supports Bob's amendment to hers and rejects it.
    amended = Amendment.objects.create(
        component=proposals,
        target=bobs,
        amender=alice,
        title="Une fontaine d’eau potable",
        body="<p>Eau potable</p>",
        base_version=1,
    )
    bobs_amendment = Amendment.objects.create(
        component=proposals,
        target=own,
        amender=bob,
        title="Deux bancs place du marché",
        body="<p>Pour s’asseoir à deux</p>",
        base_version=1,
        state="rejected",
        decided_by=alice,
        decided_at=now,
    )
    AmendmentSupport.objects.create(amendment=bobs_amendment, user=alice, component=proposals)
    world["amendment"] = amended
    world["proposal"], world["bobs_proposal"] = own, bobs
    # Writing together: she co-authors Bob's proposal, opens a draft and asks to join his.
    Coauthorship.objects.create(
        proposal=bobs, component=proposals, user=alice, state="accepted", invited_at=timezone.now()
    )
    CollaborativeDraft.objects.create(
        component=proposals, author=alice, title="Un préau pour l’école", body="<p>Écrit à plusieurs</p>"
    )
    bobs_draft = CollaborativeDraft.objects.create(
        component=proposals, author=bob, title="Des nichoirs au parc", body="<p>Pour les mésanges</p>"
    )
    DraftCollaborator.objects.create(
        draft=bobs_draft, component=proposals, user=alice, requested_at=timezone.now()
    )

    comment = Comment.objects.create(
        organization=org_a, component=proposals, commentable=bobs, author=alice, body="<p>Bonne idée</p>"
    )
    CommentVote.objects.create(comment=comment, user=alice, value=1)
    Follow.objects.create(user=alice, target=bobs)
    Notification.objects.create(
        user=alice,
        event_id=uuid.uuid4(),
        kind="unknown",
        params={"target": "Nouvelle réponse"},
        url=bobs.get_absolute_url(),
    )

    # Moderation: she reports Bob's proposal; she was blocked once (lifted); as a moderator
    # of her own she once blocked Bob.
    moderation = Moderation.objects.create(organization=org_a, resource=bobs)
    Report.objects.create(moderation=moderation, user=alice, reason="off_topic", details="Hors sujet")
    UserBlock.objects.create(
        user=alice,
        blocked_by=moderator,
        lifted_by=moderator,
        lifted_at=now,
        justification="Messages répétés",
        previous_name=alice.name,
        previous_nickname=alice.nickname,
    )
    UserBlock.objects.create(
        user=bob, blocked_by=alice, justification="Publicité", previous_name=bob.name, previous_nickname="bob"
    )

    # Consultation: she answers online and, as data entry staff, keys a paper form.
    survey = Survey.objects.get(
        component=published_component(space, moderator, "surveys", "Consultation parc", answers_enabled=True)
    )
    questionnaire = Questionnaire(survey)
    surveys.do_answer(survey=survey, user=alice, data=post_data(questionnaire.answer(yes=False)))
    survey.data_entry_staff.add(alice)
    PrintRun.objects.create(survey=survey, first=1, count=50, created_by=alice)
    batch = Batch.objects.create(survey=survey, label="Urne mairie", channel="paper", created_by=alice)
    Keying.objects.create(
        batch=batch, keyed_by=alice, serial="0007", payload={questionnaire.short.key: SURVEY_KEYED_TEXT}
    )
    # As its admin she asked for it to close once, which its trustees' absence refused.
    ClosingJob.objects.create(
        organization=survey.component.space.organization,
        target_label="surveys.survey",
        target_id=survey.pk,
        requested_by=alice,
        finished_at=timezone.now(),
        error="Refusée",
    )
    world["survey"] = survey
    # As its admin she names a theme found in the written answers.
    ThemeEdit.objects.create(
        survey=survey,
        kind="name",
        question_key=questionnaire.short.key,
        theme="t1",
        name="Arbres",
        created_by=alice,
    )

    # Majority judgment: she votes online and keys a paper ballot.
    election = mj.election_of(published_component(space, moderator, "majority_judgment", voting_enabled=True))
    election.question = "Quel projet pour le parc ?"
    election.save()
    candidate = Candidate.objects.create(election=election, title="Kiosque", position=0)
    world["mj_receipt"] = mj.do_vote(
        election=election, user=alice, data={f"candidate-{candidate.pk}": "5"}
    ).code
    PaperPrintRun.objects.create(election=election, first=100, count=20, created_by=alice)
    paper = PaperBatch.objects.create(
        election=election, label="Urne école", expected_count=1, created_by=alice
    )
    PaperKeying.objects.create(
        batch=paper, keyed_by=alice, serial="0105", payload={"grades": {str(candidate.pk): 6}}
    )

    # Meetings, debates, budgets.
    meetings = published_component(space, moderator, "meetings", "Réunions")
    meeting = Meeting.objects.create(
        component=meetings, title="Atelier parc", start_time=now, end_time=now + datetime.timedelta(hours=2)
    )
    Registration.objects.create(meeting=meeting, user=alice, code="K7P2QX", status="confirmed")
    debates = published_component(space, moderator, "debates", "Débats")
    Debate.objects.create(
        component=debates, author=alice, title="Faut-il des arbres ?", description="<p>Oui</p>"
    )
    # News: she endorses a post.
    from civitas.components.blog.models import Endorsement, Post

    news = published_component(space, moderator, "blog", "Actualités")
    post = Post.objects.create(
        component=news, title="La fête du quartier", body="<p>Samedi</p>", published_at=now
    )
    Endorsement.objects.create(post=post, user=alice)
    # Petitions: she writes one, reviews another and keys a paper line.
    from civitas.components.petitions.models import PaperBatch as PetitionBatch
    from civitas.components.petitions.models import PaperKeying as PetitionKeying
    from civitas.components.petitions.models import Petition

    petitions = published_component(space, moderator, "petitions", "Pétitions")
    Petition.objects.create(
        component=petitions, author=alice, title="Des arbres rue Haute", body="<p>Oui</p>"
    )
    reviewed = Petition.objects.create(
        component=petitions, author=moderator, title="Un kiosque", body="<p>Non</p>", reviewed_by=alice
    )
    sheets = PetitionBatch.objects.create(petition=reviewed, label="Feuilles du marché", created_by=alice)
    PetitionKeying.objects.create(batch=sheets, keyed_by=alice, line="1-1", payload={"family_name": "X"})
    # Budgets: a vote cast in one, a draft selection left in another.
    voted_in = Budget.objects.create(
        component=published_component(space, moderator, "budgets", "Budget", voting_enabled=True),
        title="Centre-ville",
        total=1000,
    )
    kiosk = Project.objects.create(budget=voted_in, title="Kiosque à musique", amount=400)
    budgets.do_add_project(budget=voted_in, user=alice, project=kiosk)
    world["budget_receipt"] = budgets.do_checkout(budget=voted_in, user=alice).code
    drafted_in = Budget.objects.create(
        component=published_component(space, moderator, "budgets", "Budget des écoles", voting_enabled=True),
        title="Écoles",
        total=1000,
    )
    garden = Project.objects.create(budget=drafted_in, title="Jardin partagé", amount=300)
    budgets.do_add_project(budget=drafted_in, user=alice, project=garden)

    # Citizen panel: she volunteers and keys someone's paper form.
    panel_component = published_component(space, moderator, "sortition", "Convention citoyenne")
    panel = sortition.panel_of(panel_component)
    Volunteer.objects.create(panel=panel, user=alice, name="Alice Durand", consent_at=now)
    SortitionKeying.objects.create(
        panel=panel, form_number="F-12", keyed_by=alice, payload={"name": VOLUNTEER_KEYED_NAME}
    )

    # Newsletter: she opted in at sign-up.
    from civitas.newsletters.services import do_set_consent

    do_set_consent(alice, True, source="signup")
    return world


def test_a_participant_who_did_everything_gets_every_data_set_with_the_right_rows(world):
    alice = world["alice"]
    export = _export(alice)
    assert set(export) == {registration.name for registration in registrations()}
    empty = sorted(name for name, rows in export.items() if not rows)
    assert not empty, f"data sets empty for someone who did everything: {empty}"

    assert export["space_roles"] == [
        {
            "space": "Budget participatif 2027",
            "space_id": world["space"].pk,
            "role": str(SpaceRole.Role.EVALUATOR.label),
            "public_title": "",
            "shown_on_the_space_page": False,
            "since": export["space_roles"][0]["since"],
        }
    ]
    (invitation,) = export["invitations"]
    assert (invitation["role"], invitation["space"]) == ("space_evaluator", "Budget participatif 2027")
    assert invitation["accepted_at"] and "invited_by" not in invitation
    assert export["verifications"] == [
        {"verified_as": str(HANDLERS["census"]), "verified_on": "2026-11-02", "district": ""}
    ]
    assert export["spam_score"][0]["spam_probability"] == 0.123
    (link,) = export["identity_providers"]
    assert (link["provider"], link["subject"], link["birth_date"], link["birth_place"]) == (
        "FranceConnect",
        "fc-subject-alice",
        "1990-05-17",
        "69123",
    )
    assert export["spam_digests_received"][0]["day"] == "2026-11-30"
    (amendment,) = export["amendments"]
    assert (amendment["title"], amendment["amended_id"]) == (
        "Une fontaine d’eau potable",
        world["bobs_proposal"].pk,
    )
    assert export["amendment_decisions"][0]["decision"] == "rejected"
    assert export["amendment_supports"][0]["amended_id"] == world["proposal"].pk
    assert export["notification_preferences"][0]["email_me_about_notifications"]
    help_page, action = export["actions_logged"]
    assert help_page["action"] == "help_page.create"
    assert (action["action"], action["on_title"], action["fields_changed"]) == (
        "proposal.edit",
        "Un banc",
        "title",
    )

    (proposal,) = export["proposals"]
    assert proposal["proposal"] == "Un banc place du marché" and proposal["text"] == "Pour s’asseoir"
    assert proposal["url"] == world["proposal"].get_absolute_url()
    assert [row["proposal"] for row in export["proposal_supports"]] == ["Une fontaine"]
    assert [row["post"] for row in export["news_endorsements"]] == ["La fête du quartier"]
    assert [row["proposal"] for row in export["proposals_to_evaluate"]] == ["Une fontaine"]
    assert [row["note"] for row in export["evaluation_notes"]] == ["Coût à vérifier"]
    assert [(row["proposal"], row["state"]) for row in export["proposal_coauthorships"]] == [
        ("Une fontaine", str(Coauthorship.State.ACCEPTED.label))
    ]
    assert [(row["title"], row["text"]) for row in export["collaborative_drafts"]] == [
        ("Un préau pour l’école", "Écrit à plusieurs"),
        ("Des nichoirs au parc", "Pour les mésanges"),
    ]

    (report,) = export["reports_made"]
    assert report["reported_id"] == world["bobs_proposal"].pk and report["details"] == "Hors sujet"
    (block,) = export["blocks_received"]
    assert block["justification"] == "Messages répétés" and block["lifted_at"]
    assert [(row["action"], row["account_nickname"]) for row in export["blocks_made"]] == [("blocked", "bob")]

    assert [row["consultation"] for row in export["consultations_answered"]] == ["Consultation parc"]
    assert [row["consultation"] for row in export["consultation_data_entry"]] == ["Consultation parc"]
    assert [(row["first_serial"], row["last_serial"]) for row in export["consultation_print_runs"]] == [
        (1, 50)
    ]
    assert [row["batch"] for row in export["consultation_batches"]] == ["Urne mairie"]
    assert [row["serial"] for row in export["consultation_forms_keyed"]] == ["0007"]
    assert [(row["vote"], row["outcome"]) for row in export["vote_closings_requested"]] == [
        (f"surveys.survey {world['survey'].pk}", "Refusée")
    ]
    assert [(row["edit"], row["name"]) for row in export["consultation_theme_edits"]] == [
        (str(ThemeEdit.Kind.NAME.label), "Arbres")
    ]

    assert [row["vote"] for row in export["majority_judgment_votes"]] == ["Quel projet pour le parc ?"]
    assert [row["ballots"] for row in export["majority_judgment_print_runs"]] == [20]
    assert [row["batch"] for row in export["majority_judgment_batches"]] == ["Urne école"]
    assert [row["serial"] for row in export["majority_judgment_ballots_keyed"]] == ["0105"]

    (registration,) = export["meeting_registrations"]
    assert (registration["meeting"], registration["code"]) == ("Atelier parc", "K7P2QX")
    assert [row["title"] for row in export["debates"]] == ["Faut-il des arbres ?"]
    assert [row["title"] for row in export["petitions"]] == ["Des arbres rue Haute"]
    assert [row["act"] for row in export["petitions_review_and_keying"]] == [
        "reviewed",
        "paper batch created",
        "paper line keyed",
    ]
    assert [row["budget"] for row in export["budget_votes"]] == ["Centre-ville"]
    (draft,) = export["budget_draft_selections"]
    assert (draft["budget"], draft["projects"]) == ("Écoles", "Jardin partagé")
    assert [row["panel"] for row in export["sortition_registrations"]] == ["Convention citoyenne"]
    assert [row["form_number"] for row in export["sortition_forms_keyed"]] == ["F-12"]
    assert [row["name"] for row in export["two_factor_devices"]] == ["Téléphone"]
    (consent,) = export["newsletters"]
    assert consent["kind"] == "consent" and consent["consents"] is True and consent["at"]


def test_no_answer_ballot_or_keyed_content_in_anyone_s_export(world):
    secrets = [
        # The online answer (questionnaire.answer(yes=False)) and the keyed paper form.
        "Trop près des écoles",
        "Les commerces",
        SURVEY_KEYED_TEXT,
        # The online ballots' receipts, any grades at all, the project chosen in a budget vote.
        world["mj_receipt"],
        '"grades"',
        world["budget_receipt"],
        "Kiosque à musique",
        # A volunteer's paper form keyed by someone else.
        VOLUNTEER_KEYED_NAME,
        # What an action changed, which may be someone else's data.
        "3 rue X",
    ]
    for person in ("alice", "bob", "moderator"):
        raw = _raw(world[person])
        leaked = [secret for secret in secrets if secret in raw]
        assert not leaked, f"{person}'s export holds {leaked}"


def test_a_blocked_account_is_not_told_which_moderator_blocked_it(world):
    moderator = world["moderator"]
    archive = zipfile.ZipFile(io.BytesIO(build_export(world["alice"])))
    (block,) = json.loads(archive.read("blocks_received.json"))
    assert block["justification"] == "Messages répétés"
    assert moderator.pk not in block.values()
    text = archive.read("blocks_received.json").decode() + archive.read("blocks_received.csv").decode()
    for trace in (moderator.nickname, moderator.email, moderator.name, "blocked_by", "lifted_by"):
        assert trace not in text
    # The moderator, for their part, finds the block they made and the one they lifted.
    made = _export(moderator)["blocks_made"]
    assert sorted(row["action"] for row in made) == ["blocked", "lifted"]
