"""Helpers of the security tests: every route of the platform, filled with another tenant's ids.

``build_world_b`` gives organization B one object of every kind, each carrying ``MARKER``
in its text; ``route_values`` says which of them each URL parameter names. A route with
a parameter unknown here fails the tests that use it, so new URLs get checked too.
"""

import datetime
import re

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.urls import URLResolver, get_resolver

from civitas.authorizations.models import LetterBatch, LetterCode
from civitas.captcha.models import CaptchaQuestion
from civitas.comments.services import do_add_comment
from civitas.components.manifest import registry
from civitas.components.proposals import services as proposal_services
from civitas.components.services import do_add_component, do_set_component_published
from civitas.moderation.services import do_report
from civitas.spaces.models import Phase
from civitas.spaces.services import do_activate_phase, do_create_space, do_grant_role, do_set_published
from civitas.testing.components import configure_component
from civitas.testing.factories import UserFactory
from civitas.versions.services import record_version

MARKER = "SECRETB"
# Tables that any request may write without changing anything of anyone's data.
INCIDENTAL_TABLES = {"django_session", "civitas_shared_cache"}


def all_routes() -> list[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns)))


def _survey_objects(component, admin, author) -> dict:
    from civitas.components.surveys import services as survey_services
    from civitas.components.surveys.models import Question, Survey

    survey, _created = Survey.objects.get_or_create(component=component)
    question = Question.objects.create(survey=survey, type="short_text", label=f"{MARKER} survey question")
    run = survey_services.do_print_run(survey=survey, user=admin, copies=2)
    batch = survey_services.do_create_batch(
        survey=survey, user=admin, label=f"{MARKER} urne", channel="paper"
    )
    return {"question_id": question.pk, "run_id": run.pk, "batch_id": batch.pk}


def _meeting_objects(component, admin, author) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from civitas.components.meetings.models import Meeting

    start = timezone.now() + timedelta(days=7)
    meeting = Meeting.objects.create(
        component=component,
        title=f"{MARKER} meeting",
        description=f"{MARKER}",
        start_time=start,
        end_time=start + timedelta(hours=2),
        registrations_enabled=True,
        capacity=10,
        published_at=timezone.now(),
    )
    return {"meeting_id": meeting.pk}


def _debate_objects(component, admin, author) -> dict:
    from django.utils import timezone

    from civitas.components.debates.models import Debate

    debate = Debate.objects.create(
        component=component,
        title=f"{MARKER} debate",
        description=f"{MARKER}",
        author=admin,
        published_at=timezone.now(),
    )
    return {"debate_id": debate.pk}


def _blog_objects(component, admin, author) -> dict:
    from django.utils import timezone

    from civitas.components.blog.models import Post

    post = Post.objects.create(
        component=component, title=f"{MARKER} news", body=f"<p>{MARKER}</p>", published_at=timezone.now()
    )
    return {"post_id": post.pk}


def _sortition_objects(component, admin, author) -> dict:
    from django.utils import timezone

    from civitas.components.sortition import services as sortition_services
    from civitas.components.sortition.models import PaperKeying, ProposalDraw, Volunteer

    panel = sortition_services.panel_of(component)
    feature = sortition_services.do_add_feature(
        panel=panel, user=admin, name=f"{MARKER} feature", values_text="a: 50\nb: 50", tolerance=5
    )
    data = {"name": f"{MARKER} volunteer", "consent": True}
    data[f"feature_{feature.pk}"] = str(feature.values.first().pk)
    keying = sortition_services.do_key_paper(panel=panel, user=admin, form_number=f"{MARKER}-1", data=data)
    volunteer = Volunteer.objects.create(
        panel=panel,
        name=f"{MARKER} volunteer",
        answers={str(feature.pk): str(feature.values.first().pk)},
        consent_at=timezone.now(),
    )
    assert PaperKeying.objects.filter(pk=keying.pk).exists()
    draw = ProposalDraw.objects.create(
        component=component,
        source=component,
        title=f"{MARKER} proposal draw",
        count=1,
        candidates={"format": "civitas-sortition-items/1", "title": MARKER, "count": 1, "items": []},
        candidates_hash="0" * 64,
    )
    return {
        "feature_id": feature.pk,
        "volunteer_id": volunteer.pk,
        "keying_id": keying.pk,
        "draw_id": draw.pk,
    }


def _budget_objects(component, admin, author) -> dict:
    from civitas.components.budgets.models import Budget, Project

    budget = Budget.objects.create(component=component, title=f"{MARKER} budget", total=100000)
    project = Project.objects.create(
        budget=budget, title=f"{MARKER} project", description=f"<p>{MARKER}</p>", amount=5000
    )
    return {"budget_id": budget.pk, "project_id": project.pk}


def _accountability_objects(component, admin, author) -> dict:
    from civitas.components.accountability.models import Result, Status

    status = Status.objects.create(component=component, name=f"{MARKER} status", default_progress=40)
    result = Result.objects.create(
        component=component, title=f"{MARKER} result", description=f"<p>{MARKER}</p>", status=status
    )
    return {"result_id": result.pk, "status_id": status.pk}


def _majority_judgment_objects(component, admin, author) -> dict:
    from civitas.components.majority_judgment import paper
    from civitas.components.majority_judgment.models import Candidate, Election

    election = Election.objects.get(component=component)
    election.question = f"{MARKER} question"
    election.save()
    candidate = Candidate.objects.create(
        election=election, title=f"{MARKER} candidate", description=f"<p>{MARKER}</p>"
    )
    election.component = component
    run = paper.do_print_run(election=election, user=admin, copies=2)
    batch = paper.do_create_batch(election=election, user=admin, label=f"{MARKER} box", expected_count=1)
    paper.do_key_ballot(batch=batch, user=admin, serial=paper.serials_of(run)[0], data={})
    return {"candidate_id": candidate.pk, "run_id": run.pk, "batch_id": batch.pk}


def _petition_objects(component, admin, author) -> dict:
    import datetime

    from civitas.components.petitions import paper
    from civitas.components.petitions.models import COUNTER_SHARDS, Petition, SignatureCounter, Status
    from civitas.components.petitions.signature_list import do_seal_list

    # Published directly: no identity source need be registered for the routes to exist.
    petition = Petition.objects.create(
        component=component,
        author=author,
        title=f"{MARKER} petition",
        body=f"<p>{MARKER}</p>",
        status=Status.PUBLISHED,
        published_on=datetime.date.today(),
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    SignatureCounter.objects.bulk_create(
        [SignatureCounter(petition=petition, shard=shard) for shard in range(COUNTER_SHARDS)]
    )
    sealed = do_seal_list(petition)
    batch = paper.do_create_batch(petition=petition, user=admin, label=f"{MARKER} batch")
    return {"petition_id": petition.pk, "list_id": sealed.pk, "batch_id": batch.pk}


def _participatory_text_objects(component, admin, author) -> dict:
    from civitas.components.participatory_texts import services as text_services
    from civitas.components.participatory_texts.models import Article

    items = [
        {"kind": "section", "title": f"{MARKER} section", "level": 1, "body": ""},
        {"kind": "article", "title": f"{MARKER} article", "level": 0, "body": f"<p>{MARKER}</p>"},
    ]
    text_services.do_import(component=component, user=admin, items=items, file_name="b.md")
    text_services.do_publish_version(component=component, user=admin, note=f"{MARKER} version")
    article = Article.objects.get(component=component)
    return {"article_id": article.pk, "section_id": article.section_id}


# For each component type, the objects its URLs name: parameter name -> id in B.
def _proposal_objects(component, admin, author) -> dict:
    from civitas.components.proposals.models import CollaborativeDraft

    draft = CollaborativeDraft.objects.create(
        component=component, author=author, title=f"{MARKER} draft", body=f"<p>{MARKER}</p>"
    )
    return {"draft_id": draft.pk}


COMPONENT_OBJECTS = {
    "proposals": _proposal_objects,
    "participatory_texts": _participatory_text_objects,
    "petitions": _petition_objects,
    "sortition": _sortition_objects,
    "surveys": _survey_objects,
    "meetings": _meeting_objects,
    "debates": _debate_objects,
    "blog": _blog_objects,
    "budgets": _budget_objects,
    "accountability": _accountability_objects,
    "majority_judgment": _majority_judgment_objects,
}


def build_world_b(org_b) -> dict:
    """Organization B with one of everything, each carrying the marker in its text."""
    admin = UserFactory(organization=org_b, nickname="maireb", is_organization_admin=True)
    author = UserFactory(organization=org_b, nickname="secretbauthor", name=f"{MARKER} Author")
    reporter = UserFactory(organization=org_b, nickname="reporterb")
    space = do_create_space(organization=org_b, user=admin, kind="process", title=f"{MARKER} space")
    do_set_published(space=space, user=admin, published=True)
    phase = Phase.objects.create(space=space, title=f"{MARKER} phase", position=0)
    do_activate_phase(space=space, phase=phase, user=admin)
    components = {}
    for manifest in registry.all():
        component = do_add_component(
            space=space, user=admin, manifest=manifest, name=f"{MARKER} {manifest.name}"
        )
        do_set_component_published(component=component, user=admin, published=True)
        components[manifest.name] = component
    configure_component(components["proposals"], admin, creation_enabled=True, supports="enabled")
    proposal = proposal_services.do_create_draft(
        user=author, component=components["proposals"], title=f"{MARKER} proposal", body=f"<p>{MARKER}</p>"
    )
    proposal_services.do_publish(proposal=proposal, user=author)
    # A second version, so that the history page compares two.
    proposal.body = f"<p>{MARKER}, revu et complété par son auteur.</p>"
    proposal.save(update_fields=["body"])
    record_version(proposal, author=author)
    comment = do_add_comment(user=author, resource=proposal, body=f"<p>{MARKER} comment</p>")
    from civitas.amendments.models import Amendment

    amendment = Amendment.objects.create(
        component=components["proposals"],
        target=proposal,
        amender=reporter,
        title=f"{MARKER} amendment",
        body=f"<p>{MARKER} amended</p>",
        base_version=1,
    )
    moderation = do_report(user=reporter, resource=proposal, reason="spam")
    role = do_grant_role(space=space, user=admin, person=reporter, role="moderator")
    question = CaptchaQuestion.objects.create(
        organization=org_b, locale="fr", question=f"{MARKER} question", answers="b"
    )
    from civitas.identity.models import IdentityProvider, ProviderAccount

    identity_provider = IdentityProvider.objects.create(
        organization=org_b,
        kind="oidc",
        name=f"{MARKER} provider",
        discovery_url="https://sso.b.example/.well-known/openid-configuration",
        client_id=f"{MARKER}-client",
        client_secret=f"{MARKER}-secret",
        scopes="openid",
    )
    provider_account = ProviderAccount.objects.create(
        user=author, provider=identity_provider, subject=f"{MARKER}-subject"
    )
    letters = LetterBatch.objects.create(
        organization=org_b, created_on=datetime.date(2026, 1, 1), expires_on=datetime.date(2099, 1, 1), size=1
    )
    LetterCode.objects.create(organization=org_b, batch=letters, digest="b" * 64, district=MARKER)
    from civitas.homepage.models import HomeBlock
    from civitas.homepage.services import ensure_arranged

    ensure_arranged(org_b)  # the default blocks, then one of B's own below them
    home_block = HomeBlock.objects.create(
        organization=org_b,
        kind="free_text",
        title=f"{MARKER} block",
        settings={"body": f"<p>{MARKER}</p>"},
        position=HomeBlock.objects.filter(organization=org_b).count(),
    )
    from civitas.newsletters.models import Newsletter

    newsletter = Newsletter.objects.create(
        organization=org_b, author=admin, subject=f"{MARKER} newsletter", body=f"<p>{MARKER} newsletter</p>"
    )
    from civitas.people.services import do_invite

    invitation, invitation_token = do_invite(
        organization=org_b, admin=admin, email="secretb-invited@b.example", role="user_manager"
    )
    from civitas.spaces.models import ProcessGroup

    # Named like B's space, so that every "<slug>" of a route reaches one of B's objects.
    group = ProcessGroup.objects.create(
        organization=org_b, slug=space.slug, title=f"{MARKER} group", description=f"<p>{MARKER}</p>"
    )
    space.group = group
    space.save(update_fields=["group"])
    component_ids = {}
    for name, make in COMPONENT_OBJECTS.items():
        if name in components:
            component_ids[name] = make(components[name], admin, author)
    return {
        "component_ids": component_ids,
        "organization": org_b,
        "space": space,
        "phase": phase,
        "components": components,
        "proposal": proposal,
        "comment": comment,
        "amendment": amendment,
        "moderation": moderation,
        "role": role,
        "question": question,
        "author": author,
        "identity_provider": identity_provider,
        "provider_account": provider_account,
        "letters": letters,
        "home_block": home_block,
        "newsletter": newsletter,
        "invitation": invitation,
        "invitation_token": invitation_token,
        "group": group,
        "admin": admin,
    }


def route_values(world: dict, route: str) -> dict:
    """What to put in each parameter of the route: B's object of the kind the name says."""
    manifest = next((name for name in world["components"] if f"/{name}/" in route), "proposals")
    if "system/organizations" in route:
        pk = world["organization"].pk
    elif "captcha" in route:
        pk = world["question"].pk
    elif route.startswith("admin/newsletters/"):
        pk = world["newsletter"].pk
    else:
        pk = world["moderation"].pk
    return {
        **world["component_ids"].get(manifest, {}),
        "space_id": world["space"].pk,
        "space_slug": world["space"].slug,
        "slug": world["space"].slug,
        "component_id": world["components"][manifest].pk,
        "proposal_id": world["proposal"].pk,
        "comment_id": world["comment"].pk,
        "amendment_id": world["amendment"].pk,
        "phase_id": world["phase"].pk,
        "content_type_id": ContentType.objects.get_for_model(world["proposal"]).pk,
        "object_id": world["proposal"].pk,
        "key": "proposals.proposal",  # a version history: of B's proposal, by object_id
        "moderation_id": world["moderation"].pk,
        "user_id": world["author"].pk,
        "role_id": world["role"].pk,
        "provider_id": world["identity_provider"].pk,
        "account_id": world["provider_account"].pk,
        "nickname": world["author"].nickname,
        "pk": pk,
        "batch_id": world["letters"].pk,
        "block_id": world["home_block"].pk,
        "invitation_id": world["invitation"].pk,
        "group_id": world["group"].pk,
        # Parameters that name no object of B: any well-formed value.
        "action": "support",
        "token": "set-password",
        "uidb64": "MQ",
        "kind": "proposals",
        "path": "x",
        "number": 1,  # a version of the terms, numbered per organization
    }


def fill_route(route: str, values: dict) -> tuple[str, bool]:
    """The concrete path, and whether it names one of B's objects."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    unknown = [name for name in names if name not in values]
    assert not unknown, f"{route}: teach this test which of B's objects {unknown} names"
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), route)
    path = path.replace("^", "").replace("$", "")
    names_b = any(name not in ("token", "uidb64", "kind", "path", "action") for name in names)
    return path, names_b


def database_fingerprint() -> dict:
    rows = {}
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in INCIDENTAL_TABLES and table not in rows:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")  # noqa: S608
                rows[table] = cursor.fetchall()
    return rows
