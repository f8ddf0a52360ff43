"""A small two-organization world for the back-office tests.

Organization A holds spaces S1 and S2; organization B holds S3. Every space has two
phases (the first is current), one "pages" component, one news ("blog") component with
one post, and one member role. Titles are
unique markers ("Title-S2", "Phase-S2-0", "Component-S2"…) so tests can check that a
page never shows what its reader may not see.
"""

from dataclasses import dataclass

import pytest
from django.db import connection

from civitas.accounts.models import User
from civitas.actionlog.models import ActionLogEntry
from civitas.captcha.models import CaptchaQuestion
from civitas.components.blog.models import Post
from civitas.components.manifest import registry
from civitas.components.meetings.models import Meeting
from civitas.components.models import Component
from civitas.components.pages.models import Page
from civitas.components.proposals.models import Proposal, ProposalLink, Support
from civitas.components.services import do_add_component
from civitas.moderation.models import UserBlock
from civitas.moderation.services import do_block_user
from civitas.newsletters.models import Delivery, Newsletter, NewsletterConsent
from civitas.newsletters.services import do_create_newsletter, do_set_consent
from civitas.organizations.models import Organization
from civitas.people.models import Invitation
from civitas.people.services import do_invite
from civitas.spaces.models import Phase, ProcessGroup, Space, SpaceRole, Tag
from civitas.spaces.services import do_create_space
from civitas.testing.factories import UserFactory
from civitas.versions.models import Version


@dataclass
class World:
    orgs: dict  # "A", "B"
    users: dict  # by nickname-like key
    spaces: dict  # "S1", "S2", "S3"
    phases: dict  # space key -> [current phase, other phase]
    components: dict  # space key -> pages component
    blogs: dict  # space key -> news component
    posts: dict  # space key -> the news component's post
    roles: dict  # space key -> a member's SpaceRole (the one to move or revoke)
    questions: dict  # "QA", "QB": one CAPTCHA question per organization
    newsletters: dict  # "NA", "NB": one draft newsletter per organization
    # The people pages' targets, each key ending with its organization: "PA" a participant to
    # block, "BA" a blocked account, "IA" a pending invitation, "HA" a user manager (role holder).
    people: dict
    groups: dict  # "GA", "GB": one process group per organization

    def org_of(self, key: str) -> str:
        """ "A" or "B": the organization a space, question, newsletter, group or people key belongs to."""
        if key in self.people:
            return key[-1]
        return {
            "S1": "A",
            "S2": "A",
            "S3": "B",
            "QA": "A",
            "QB": "B",
            "NA": "A",
            "NB": "B",
            "GA": "A",
            "GB": "B",
        }[key]


def marker_strings(key: str) -> list[str]:
    """Texts that only appear on a page that shows space ``key`` or its content."""
    return [f"Title-{key}", f"Phase-{key}-", f"Component-{key}", f"NewsPost-{key}"]


@pytest.fixture
def world(org_a, org_b, user_a, admin_a) -> World:
    return build_world(org_a, org_b, user_a, admin_a)


def build_world(org_a, org_b, user_a, admin_a) -> World:
    """Around the root conftest's org_a, org_b, user_a (a participant) and admin_a."""
    admin_b = UserFactory(
        organization=org_b, nickname="maire-b", email="maire@b.test", is_organization_admin=True
    )
    users = {"participant": user_a, "org_admin": admin_a, "admin_b": admin_b}
    for name in ("member", "moderator", "evaluator", "space-admin", "s2-member", "newcomer"):
        users[name] = UserFactory(organization=org_a, nickname=name, email=f"{name}@a.test")
    users["user-manager"] = UserFactory(
        organization=org_a, nickname="user-manager", email="user-manager@a.test", is_user_manager=True
    )
    users["s3-member"] = UserFactory(organization=org_b, nickname="s3-member", email="s3-member@b.test")
    # The same nickname exists in B, so "give a role to newcomer" is valid on both hosts.
    UserFactory(organization=org_b, nickname="newcomer", email="newcomer@b.test")

    spaces, phases, components, roles, blogs, posts = {}, {}, {}, {}, {}, {}
    for key, organization, admin in (("S1", org_a, admin_a), ("S2", org_a, admin_a), ("S3", org_b, admin_b)):
        space = do_create_space(organization=organization, user=admin, kind="process", title=f"Title-{key}")
        phases[key] = [
            Phase.objects.create(space=space, title=f"Phase-{key}-{i}", position=i) for i in range(2)
        ]
        space.active_phase = phases[key][0]
        space.save(update_fields=["active_phase"])
        components[key] = do_add_component(
            space=space, user=admin, manifest=registry.get("pages"), name=f"Component-{key}"
        )
        blogs[key] = do_add_component(
            space=space, user=admin, manifest=registry.get("blog"), name=f"Component-{key} news"
        )
        posts[key] = Post.objects.create(component=blogs[key], title=f"NewsPost-{key}", body="<p>x</p>")
        spaces[key] = space

    for position, role in enumerate(("member", "moderator", "evaluator")):
        SpaceRole.objects.create(space=spaces["S1"], user=users[role], role=role, position=position)
    SpaceRole.objects.create(space=spaces["S1"], user=users["space-admin"], role="admin", position=3)
    roles["S1"] = SpaceRole.objects.get(space=spaces["S1"], user=users["member"])
    roles["S2"] = SpaceRole.objects.create(space=spaces["S2"], user=users["s2-member"], role="member")
    roles["S3"] = SpaceRole.objects.create(space=spaces["S3"], user=users["s3-member"], role="member")

    questions = {
        "QA": CaptchaQuestion.objects.create(
            organization=org_a, locale="fr", question="Question-A", answers="a"
        ),
        "QB": CaptchaQuestion.objects.create(
            organization=org_b, locale="fr", question="Question-B", answers="b"
        ),
    }
    # Someone in each organization takes the newsletter, so that sending one is possible.
    do_set_consent(user_a, True, source="signup")
    do_set_consent(users["s3-member"], True, source="signup")
    newsletters = {
        key: do_create_newsletter(
            organization=organization,
            user=admin,
            subject=f"Newsletter-{key}",
            body=f"<p>Text-{key}</p>",
            audience="all",
        )
        for key, organization, admin in (("NA", org_a, admin_a), ("NB", org_b, admin_b))
    }
    people = {}
    for key, organization, admin in (("A", org_a, admin_a), ("B", org_b, admin_b)):
        people[f"P{key}"] = UserFactory(organization=organization, nickname=f"to-block-{key}")
        people[f"B{key}"] = UserFactory(organization=organization, nickname=f"blocked-{key}")
        do_block_user(admin=admin, user=people[f"B{key}"], justification="Messages répétés")
        people[f"I{key}"], _token = do_invite(
            organization=organization, admin=admin, email=f"invited@{key.lower()}.test", role="user_manager"
        )
        people[f"H{key}"] = UserFactory(
            organization=organization, nickname=f"manager-{key}", is_user_manager=True
        )
    groups = {
        "GA": ProcessGroup.objects.create(organization=org_a, slug="groupe-a", title="Group-A"),
        "GB": ProcessGroup.objects.create(organization=org_b, slug="groupe-b", title="Group-B"),
    }
    spaces["S2"].group = groups["GA"]
    spaces["S2"].save(update_fields=["group"])
    return World(
        groups=groups,
        orgs={"A": org_a, "B": org_b},
        people=people,
        users=users,
        spaces=spaces,
        phases=phases,
        components=components,
        blogs=blogs,
        posts=posts,
        roles=roles,
        questions=questions,
        newsletters=newsletters,
    )


TRACKED_MODELS = (
    Proposal,
    ProposalLink,
    Support,
    Meeting.proposals.through,
    Version,
    Organization,
    Space,
    Space.tags.through,
    Tag,
    Phase,
    Component,
    Page,
    Post,
    SpaceRole,
    CaptchaQuestion,
    ProcessGroup,
    ActionLogEntry,
    Newsletter,
    Newsletter.spaces.through,
    Delivery,
    NewsletterConsent,
    User,
    UserBlock,
    Invitation,
)


def fingerprint() -> dict:
    """Every row the back-office can change: equal before and after means nothing changed."""
    with connection.cursor() as cursor:  # plain SQL: this runs twice in each of ~900 cases
        rows = {}
        for model in TRACKED_MODELS:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)} ORDER BY 1")  # noqa: S608
            rows[model._meta.label] = cursor.fetchall()
    return rows
