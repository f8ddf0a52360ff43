"""Who may do what in the back-office: every URL × role × target, GET and POST.

Rules checked for each case:
- visitors (and sessions replayed on another organization's host) go to the log-in page;
- a space, phase, component or question of another organization answers 404;
- organization admins may do everything in their organization;
- space admins may work on their own spaces, see the dashboard, the space list and the
  action log (filtered), and nothing else (403);
- user managers reach the participants list and its export, blocked accounts, blocking and
  unblocking, and the verification pages (census, letters), and nothing else: no space page,
  no setting, no role (403); organization admins reach these too, and the roles and
  invitations pages, which nobody else does;
- participants, members, moderators and evaluators get 403 everywhere;
- a refused request changes nothing in the database, an accepted POST writes one log entry;
- no page ever shows a space (title, phases, components) that its reader may not administer.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from civitas.actionlog.models import ActionLogEntry
from civitas.backoffice.tests.conftest import build_world, fingerprint, marker_strings
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "login"
ALLOWED = "allowed"

# What a route needs from its reader.
BACKOFFICE = "backoffice"  # organization admins and space admins (filtered)
ORGANIZATION = "organization"  # organization admins only
QUESTION = "question"  # organization admins only, the question must be of the host's organization
SPACE = "space"  # organization admins and admins of that space; 404 outside the organization
SPACE_ORDER = "space order"  # the order of all spaces: organization admins only
NEWSLETTER = "newsletter"  # organization admins only, the newsletter must be of the host's organization
PEOPLE = "people"  # organization admins and user managers
PERSON = "person"  # organization admins and user managers, on an account of the host's organization
INVITATION = "invitation"  # organization admins only, on an invitation of the host's organization
HOLDER = "holder"  # organization admins only, on a role holder of the host's organization
# Copying a space makes a new one: organization admins only (admin of the space and creator of spaces).
SPACE_COPY = "space copy"
GROUP = "group"  # organization admins only, the group must be of the host's organization


@dataclass(frozen=True)
class Role:
    name: str
    user: str | None  # key in World.users; None for a visitor
    org: str | None  # the user's organization
    host: str = "A"  # the host the request goes to
    is_org_admin: bool = False
    administers: frozenset = frozenset()
    is_user_manager: bool = False

    @property
    def session_honoured(self) -> bool:
        return self.user is not None and self.org == self.host

    def administered_spaces(self) -> set[str]:
        if not self.session_honoured:
            return set()
        if self.is_org_admin:
            return {"A": {"S1", "S2"}, "B": {"S3"}}[self.host]
        return set(self.administers)


ROLES = (
    Role("anonymous", None, None),
    Role("participant", "participant", "A"),
    Role("member", "member", "A"),
    Role("moderator", "moderator", "A"),
    Role("evaluator", "evaluator", "A"),
    Role("space_admin", "space-admin", "A", administers=frozenset({"S1"})),
    Role("user_manager", "user-manager", "A", is_user_manager=True),
    Role("org_admin", "org_admin", "A", is_org_admin=True),
    # B's admin with a session cookie replayed on A's host: not logged in there.
    Role("admin_of_B_on_host_A", "admin_b", "B", host="A", is_org_admin=True),
    # B's admin at home, reaching for A's spaces by their ids.
    Role("admin_of_B_on_host_B", "admin_b", "B", host="B", is_org_admin=True),
)
ROLE = {role.name: role for role in ROLES}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    access: str
    path: str  # below /admin/, formatted with the ids of the target
    data: dict | None = None
    answers_with_file: bool = False  # an accepted POST answers with a download, not a redirect

    @property
    def targets(self) -> tuple[str, ...]:
        if self.access in (SPACE, SPACE_ORDER, SPACE_COPY):
            return ("S1", "S2", "S3")
        if self.access == QUESTION:
            return ("QA", "QB")
        if self.access == NEWSLETTER:
            return ("NA", "NB")
        if self.access == PERSON:
            return ("BA", "BB") if "unblock" in self.name else ("PA", "PB")
        if self.access == INVITATION:
            return ("IA", "IB")
        if self.access == HOLDER:
            return ("HA", "HB")
        if self.access == GROUP:
            return ("GA", "GB")
        return ("own_org",)

    @property
    def names_an_object_in_the_space(self) -> bool:
        return any(
            name in self.path
            for name in ("{phase", "{component}", "{role}", "{blog}", "{post}", "{proposals}", "{survey}")
        )


SETTINGS = {
    "name": "Commune renommée",
    "default_locale": "fr",
    "available_locales": ["fr", "en"],
    "primary_colour": "#7a1f5c",
    "secondary_colour": "#f2c14e",
    "contact_email": "contact@commune.test",
    "signup_open": "on",
}
QUESTION_DATA = {"locale": "fr", "question": "Quel fleuve ?", "answers": "Loire", "is_active": "on"}
NEW_SPACE = {"title": "Nouvel espace", "visibility": "public", "phase_switching": "manual", "blueprint": ""}
SPACE_DATA = {
    "title": "Budget renommé",
    "subtitle": "Édition 2027",
    "visibility": "public",
    "phase_switching": "manual",
    "tags": "quartier, vélo",
}
PHASE_DATA = {"title": "Vote", "start_date": "2027-01-10", "end_date": "2027-02-28"}
ROLE_DATA = {"person": "newcomer", "role": "member", "title": ""}
COMPONENT_DATA = {"manifest_name": "pages", "name": "Charte"}
CONFIGURE_DATA = {"component-name": "Charte du budget", "settings-show_update_date": "on"}
PAGE_DATA = {"body": "<p>Le nouveau règlement.</p>"}
POST_DATA = {
    "title": "Fête du quartier",
    "body": "<p>Samedi.</p>",
    "signature": "organization",
    "published_at": "",
}
NEWS = "spaces/{space}/components/{blog}/blog/"
UP = {"direction": "up"}
PUBLISH = {"publish": "1"}
NEWSLETTER_DATA = {
    "subject": "Lettre de mars",
    "body": "<p>Le vote ouvre.</p>",
    "audience": "all",
    "handler": "",
}

# The synthesis pages of a proposals component ({proposals}); values name the space's own
# proposals, meeting and second proposals component (see add_synthesis_world).
SYNTHESIS = "spaces/{space}/components/{proposals}/proposals/"
CONFIRMED = {"confirm_act": "1"}
MERGE_DATA = {
    "originals": "{open1},{open2}",
    "part-0-title": "Fusion",
    "part-0-body": "<p>Fusion.</p>",
    **CONFIRMED,
}
SPLIT_DATA = {
    "parts": "2",
    "part-0-title": "Première partie",
    "part-0-body": "<p>Une.</p>",
    "part-1-title": "Seconde partie",
    "part-1-body": "<p>Deux.</p>",
    **CONFIRMED,
}
IMPORT_DATA = {
    "import-source": "{ideas}",
    "import-states": "accepted",
    "import-keep_authors": "on",
    **CONFIRMED,
}
MEETING_DATA = {
    "choose-meeting": "{meeting}",
    "parts": "1",
    "part-0-title": "Une rue scolaire",
    "part-0-body": "<p>Oui.</p>",
    **CONFIRMED,
}
INVITE = {"email": "nouvelle@example.org", "role": "user_manager", "space": ""}
GROUP_DATA = {"title": "Budget participatif 2027", "scope": "Les douze quartiers"}
COPY_DATA = {"title": "Copie du budget", "shift_days": "365"}

# The themes of a closed survey's written answers ({survey}; see add_themes_world).
THEMES = "spaces/{space}/components/{survey}/surveys/themes/"
THEME = {"question": "{survey_question}", "theme": "1"}

ROUTES = (
    # Organization-level pages.
    Route("dashboard", "GET", BACKOFFICE, ""),
    Route("space_list", "GET", BACKOFFICE, "spaces/"),
    Route("action_log", "GET", BACKOFFICE, "log/"),
    Route("page_new", "GET", BACKOFFICE, "pages/new/"),
    Route("settings", "GET", ORGANIZATION, "settings/"),
    Route("settings", "POST", ORGANIZATION, "settings/", SETTINGS),
    Route("captcha_questions", "GET", ORGANIZATION, "captcha/"),
    Route("captcha_questions", "POST", ORGANIZATION, "captcha/", QUESTION_DATA),
    Route("captcha_question_edit", "GET", QUESTION, "captcha/{question}/"),
    Route("captcha_question_edit", "POST", QUESTION, "captcha/{question}/", QUESTION_DATA),
    Route("captcha_question_delete", "POST", QUESTION, "captcha/{question}/delete/", {"confirm_delete": "1"}),
    Route("space_create_process", "GET", ORGANIZATION, "spaces/new/process/"),
    Route("space_create_assembly", "GET", ORGANIZATION, "spaces/new/assembly/"),
    Route("space_create_process", "POST", ORGANIZATION, "spaces/new/process/", NEW_SPACE),
    Route("groups", "GET", ORGANIZATION, "groups/"),
    Route("group_create", "GET", ORGANIZATION, "groups/new/"),
    Route("group_create", "POST", ORGANIZATION, "groups/new/", GROUP_DATA),
    Route("group_edit", "GET", GROUP, "groups/{group}/"),
    Route("group_edit", "POST", GROUP, "groups/{group}/", GROUP_DATA),
    Route("group_delete", "POST", GROUP, "groups/{group}/delete/", {"confirm_delete": "1"}),
    # One space.
    Route("space", "GET", SPACE, "spaces/{space}/"),
    Route("space_edit", "GET", SPACE, "spaces/{space}/edit/"),
    Route("space_edit", "POST", SPACE, "spaces/{space}/edit/", SPACE_DATA),
    Route("space_publish", "POST", SPACE, "spaces/{space}/publish/", PUBLISH),
    Route("space_move", "POST", SPACE_ORDER, "spaces/{space}/move/", UP),
    Route("space_copy", "GET", SPACE_COPY, "spaces/{space}/copy/"),
    Route("space_copy", "POST", SPACE_COPY, "spaces/{space}/copy/", COPY_DATA),
    Route("phase_create", "GET", SPACE, "spaces/{space}/phases/new/"),
    Route("phase_create", "POST", SPACE, "spaces/{space}/phases/new/", PHASE_DATA),
    Route("phase_edit", "GET", SPACE, "spaces/{space}/phases/{phase}/"),
    Route("phase_edit", "POST", SPACE, "spaces/{space}/phases/{phase}/", PHASE_DATA),
    Route("phase_activate", "POST", SPACE, "spaces/{space}/phases/{other_phase}/activate/", {}),
    Route("phase_move", "POST", SPACE, "spaces/{space}/phases/{phase}/move/", UP),
    Route("phase_delete", "POST", SPACE, "spaces/{space}/phases/{phase}/delete/", {"confirm_delete": "1"}),
    Route("space_roles", "GET", SPACE, "spaces/{space}/roles/"),
    Route("space_roles", "POST", SPACE, "spaces/{space}/roles/", ROLE_DATA),
    Route("role_revoke", "POST", SPACE, "spaces/{space}/roles/{role}/revoke/", {}),
    Route("role_move", "POST", SPACE, "spaces/{space}/roles/{role}/move/", UP),
    Route("component_create", "GET", SPACE, "spaces/{space}/components/new/"),
    Route("component_create", "POST", SPACE, "spaces/{space}/components/new/", COMPONENT_DATA),
    Route("component", "GET", SPACE, "spaces/{space}/components/{component}/"),
    Route("component", "POST", SPACE, "spaces/{space}/components/{component}/", CONFIGURE_DATA),
    Route("component_publish", "POST", SPACE, "spaces/{space}/components/{component}/publish/", PUBLISH),
    Route("component_move", "POST", SPACE, "spaces/{space}/components/{component}/move/", UP),
    Route(
        "component_delete",
        "POST",
        SPACE,
        "spaces/{space}/components/{component}/delete/",
        {"confirm_delete": "1"},
    ),
    Route("page_edit", "GET", SPACE, "spaces/{space}/components/{component}/pages/"),
    Route("page_edit", "POST", SPACE, "spaces/{space}/components/{component}/pages/", PAGE_DATA),
    # The news component's pages (civitas.components.blog.admin_urls).
    Route("news_index", "GET", SPACE, NEWS),
    Route("news_create", "GET", SPACE, NEWS + "new/"),
    Route("news_create", "POST", SPACE, NEWS + "new/", POST_DATA),
    Route("news_edit", "GET", SPACE, NEWS + "{post}/"),
    Route("news_edit", "POST", SPACE, NEWS + "{post}/", POST_DATA),
    Route("news_delete", "POST", SPACE, NEWS + "{post}/delete/", {"confirm_delete": "1"}),
    # Newsletters (civitas.newsletters, under /admin/newsletters/).
    Route("newsletters", "GET", ORGANIZATION, "newsletters/"),
    Route("newsletter_new", "GET", ORGANIZATION, "newsletters/new/"),
    Route("newsletter_new", "POST", ORGANIZATION, "newsletters/new/", NEWSLETTER_DATA),
    Route("newsletter", "GET", NEWSLETTER, "newsletters/{newsletter}/"),
    Route("newsletter_edit", "GET", NEWSLETTER, "newsletters/{newsletter}/edit/"),
    Route("newsletter_edit", "POST", NEWSLETTER, "newsletters/{newsletter}/edit/", NEWSLETTER_DATA),
    Route("newsletter_preview", "GET", NEWSLETTER, "newsletters/{newsletter}/preview/"),
    Route("newsletter_send_test", "POST", NEWSLETTER, "newsletters/{newsletter}/test/", {}),
    Route("newsletter_send", "POST", NEWSLETTER, "newsletters/{newsletter}/send/", {"confirm_act": "1"}),
    Route("merge", "GET", SPACE, SYNTHESIS + "merge/?proposals={open1}&proposals={open2}"),
    Route("merge", "POST", SPACE, SYNTHESIS + "merge/", MERGE_DATA),
    Route("split", "GET", SPACE, SYNTHESIS + "{open1}/split/"),
    Route("split", "POST", SPACE, SYNTHESIS + "{open1}/split/", SPLIT_DATA),
    Route("publish_imports", "GET", SPACE, SYNTHESIS + "import/"),
    Route("publish_imports", "POST", SPACE, SYNTHESIS + "import/", IMPORT_DATA),
    Route("publish_meeting_proposals", "GET", SPACE, SYNTHESIS + "import/meeting/?choose-meeting={meeting}"),
    Route("publish_meeting_proposals", "POST", SPACE, SYNTHESIS + "import/meeting/", MEETING_DATA),
    Route("themes", "GET", SPACE, THEMES),
    Route("themes_run", "POST", SPACE, THEMES + "run/", {"seed": "5"}),
    Route("theme_name", "POST", SPACE, THEMES + "name/", {**THEME, "name": "Transports"}),
    Route("theme_merge", "POST", SPACE, THEMES + "merge/", {**THEME, "other": "2", **CONFIRMED}),
    Route("theme_split", "POST", SPACE, THEMES + "split/", {**THEME, **CONFIRMED}),
    # People: participants, verifications and blocks (user managers too), roles (admins only).
    Route("participants", "GET", PEOPLE, "people/"),
    Route("participants_filtered", "GET", PEOPLE, "people/?q=block&blocked=yes&verified=no&active=30&page=2"),
    Route("participants_export", "POST", PEOPLE, "people/export/", {"q": "a"}, answers_with_file=True),
    Route("people_roles", "GET", ORGANIZATION, "people/roles/"),
    Route("people_roles", "POST", ORGANIZATION, "people/roles/", INVITE),
    Route(
        "role_remove",
        "POST",
        HOLDER,
        "people/roles/{holder}/remove/",
        {"role": "user_manager", "confirm_delete": "1"},
    ),
    Route("invitation_resend", "POST", INVITATION, "people/invitations/{invitation}/resend/", {}),
    Route("invitation_revoke", "POST", INVITATION, "people/invitations/{invitation}/revoke/", {}),
    Route("blocked", "GET", PEOPLE, "blocked/"),
    Route("block", "GET", PERSON, "users/{person}/block/"),
    Route("block", "POST", PERSON, "users/{person}/block/", {"justification": "Messages répétés"}),
    Route("unblock", "POST", PERSON, "users/{person}/unblock/", {}),
    Route("census", "GET", PEOPLE, "authorizations/census/"),
    Route("letters", "GET", PEOPLE, "authorizations/letters/"),
)


def expected_outcome(role: Role, route: Route, target: str, world_org_of) -> int | str:
    if not role.session_honoured:
        return LOGIN
    if route.access in (SPACE, SPACE_ORDER, SPACE_COPY):
        if world_org_of(target) != role.host:
            return 404
        if role.is_org_admin or (route.access == SPACE and target in role.administers):
            return ALLOWED
        return 403
    if route.access in (QUESTION, NEWSLETTER, GROUP):
        if not role.is_org_admin:
            return 403
        return ALLOWED if world_org_of(target) == role.host else 404
    if route.access in (PEOPLE, PERSON):
        if not (role.is_org_admin or role.is_user_manager):
            return 403
        return ALLOWED if route.access == PEOPLE or world_org_of(target) == role.host else 404
    if route.access in (INVITATION, HOLDER):
        if not role.is_org_admin:
            return 403
        return ALLOWED if world_org_of(target) == role.host else 404
    if route.access == ORGANIZATION:
        return ALLOWED if role.is_org_admin else 403
    return ALLOWED if role.is_org_admin or role.administers else 403


def hidden_strings(world, role: Role) -> list[str]:
    """What the reader must never see: spaces they do not administer, other organizations' questions."""
    hidden = [
        text
        for key in ("S1", "S2", "S3")
        if key not in role.administered_spaces()
        for text in marker_strings(key)
    ]
    for key, question in world.questions.items():
        if not (role.session_honoured and role.is_org_admin and world.org_of(key) == role.host):
            hidden.append(question.question)
    for key, newsletter in world.newsletters.items():
        if not (role.session_honoured and role.is_org_admin and world.org_of(key) == role.host):
            hidden.extend([newsletter.subject, f"Text-{key}"])
    for key, group in world.groups.items():
        if not (role.session_honoured and role.is_org_admin and world.org_of(key) == role.host):
            hidden.append(group.title)
    return hidden


def _ids(world, space_key: str, object_key: str | None = None) -> dict:
    object_key = object_key or space_key
    if space_key in world.spaces:
        return {
            "space": world.spaces[space_key].pk,
            "phase": world.phases[object_key][0].pk,
            "other_phase": world.phases[object_key][1].pk,
            "component": world.components[object_key].pk,
            "role": world.roles[object_key].pk,
            "blog": world.blogs[object_key].pk,
            "post": world.posts[object_key].pk,
            **world.synthesis[object_key],
            **world.themes[object_key],
        }
    if space_key in world.questions:
        return {"question": world.questions[space_key].pk}
    if space_key in world.newsletters:
        return {"newsletter": world.newsletters[space_key].pk}
    if space_key in world.people:
        placeholder = {"P": "person", "B": "person", "I": "invitation", "H": "holder"}[space_key[0]]
        return {placeholder: world.people[space_key].pk}
    if space_key in world.groups:
        return {"group": world.groups[space_key].pk}
    return {}


def url_for(world, route: Route, space_key: str, object_key: str | None = None) -> str:
    """The route's address for a space (or question), naming the phase/component/role of ``object_key``."""
    return "/admin/" + route.path.format(**_ids(world, space_key, object_key))


def data_for(world, route: Route, space_key: str, object_key: str | None = None) -> dict | None:
    """The route's form, its ids (``{open1}``…) those of the objects of ``object_key``."""
    if route.data is None:
        return None
    ids = _ids(world, space_key, object_key)
    return {
        key: value.format(**ids) if isinstance(value, str) else value for key, value in route.data.items()
    }


def request(client, route: Route, url: str, data: dict | None = None):
    return client.get(url) if route.method == "GET" else client.post(url, data)


def add_synthesis_world(world) -> None:
    """In each space: a proposals component with two open proposals, a second one with an
    accepted proposal to import, and a meetings component with a closed meeting."""
    from django.utils import timezone

    from civitas.components.manifest import registry
    from civitas.components.meetings.models import Meeting
    from civitas.components.proposals.models import Proposal
    from civitas.components.services import do_add_component

    now = timezone.now()
    world.synthesis = {}
    for key, space in world.spaces.items():
        admin = world.users["org_admin" if world.org_of(key) == "A" else "admin_b"]

        def add(manifest, name, space=space, admin=admin):
            return do_add_component(space=space, user=admin, manifest=registry.get(manifest), name=name)

        proposals, ideas = (
            add("proposals", f"Component-{key}-proposals"),
            add("proposals", f"Component-{key}-ideas"),
        )
        meetings = add("meetings", f"Component-{key}-meetings")
        author = UserFactory(organization=space.organization)

        def proposal(component, title, state="not_answered", author=author):
            return Proposal.objects.create(
                component=component,
                author=author,
                title=title,
                body="<p>x</p>",
                published_at=now,
                state=state,
            )

        open1, open2 = proposal(proposals, f"Proposal-{key}-1"), proposal(proposals, f"Proposal-{key}-2")
        proposal(ideas, f"Idea-{key}", state="accepted")
        meeting = Meeting.objects.create(
            component=meetings,
            title=f"Meeting-{key}",
            start_time=now,
            end_time=now,
            published_at=now,
            closed_at=now,
            minutes="<p>Conclusions.</p>",
        )
        world.synthesis[key] = {
            "proposals": proposals.pk,
            "ideas": ideas.pk,
            "open1": open1.pk,
            "open2": open2.pk,
            "meeting": meeting.pk,
        }


def add_themes_world(world) -> None:
    """In each space: a survey closed with 30 written answers, its themes computed."""
    from civitas.components.manifest import registry
    from civitas.components.services import do_add_component
    from civitas.components.surveys import themes
    from civitas.components.surveys.models import Survey, ThemeAnalysis
    from civitas.components.surveys.tests.helpers import closed_survey_with_texts

    world.themes = {}
    for key, space in world.spaces.items():
        admin = world.users["org_admin" if world.org_of(key) == "A" else "admin_b"]
        component = do_add_component(
            space=space, user=admin, manifest=registry.get("surveys"), name=f"Component-{key}-survey"
        )
        survey = Survey.objects.get(component=component)
        question = closed_survey_with_texts(survey, admin, 30)
        themes.do_start_analysis(survey=survey, user=admin, seed=1)
        themes.compute(survey.pk, ThemeAnalysis.objects.get(survey=survey).token)
        world.themes[key] = {"survey": component.pk, "survey_question": question.key}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The back-office world, built once for these ~900 cases (as TestCase.setUpTestData does).

    Each test runs in a savepoint that is rolled back after it, so POSTs do not leak from one
    case to the next; this outer transaction is rolled back when the module is done.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        org_a = OrganizationFactory(name="Commune A", host="commune-a.test")
        org_b = OrganizationFactory(name="Commune B", host="commune-b.test")
        participant = UserFactory(organization=org_a, email="alice@example.org", nickname="alice")
        admin_a = UserFactory(
            organization=org_a, email="maire@example.org", nickname="maire", is_organization_admin=True
        )
        world = build_world(org_a, org_b, participant, admin_a)
        add_synthesis_world(world)
        add_themes_world(world)
        world.sessions = {}  # one log-in per person, not one per case
        for role in ROLES:
            if role.user and role.user not in world.sessions:
                client = Client()
                client.force_login(world.users[role.user])
                world.sessions[role.user] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world
        transaction.set_rollback(True)


def _client(role: Role, world):
    client = Client(HTTP_HOST=world.orgs[role.host].host)
    if role.user:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role.user]
    return client


def _case_id(role: Role, route: Route, target: str) -> str:
    return f"{route.method}-{route.name}-{target}-{role.name}"


CASES = [
    pytest.param(role, route, target, id=_case_id(role, route, target))
    for route in ROUTES
    for target in route.targets
    for role in ROLES
]


@pytest.mark.parametrize(("role", "route", "target"), CASES)
def test_permission_matrix(world, role, route, target):
    client = _client(role, world)
    url = url_for(world, route, target)
    before = fingerprint()
    log_count = ActionLogEntry.objects.count()

    response = request(client, route, url, data_for(world, route, target))

    expected = expected_outcome(role, route, target, world.org_of)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode()
    for text in hidden_strings(world, role):
        assert text not in body, f"{url} shows {text!r} to {role.name}"
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/admin/")
    elif expected != ALLOWED:
        assert response.status_code == expected
    elif route.answers_with_file:
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert ActionLogEntry.objects.count() == log_count + 1
        return
    elif route.method == "GET":
        assert response.status_code == 200
        if route.access == SPACE:  # the control for the "hidden" checks above
            assert f"Title-{target}" in body
    else:
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
        assert ActionLogEntry.objects.count() == log_count + 1
        return
    assert fingerprint() == before, f"{route.method} {url} changed data for {role.name}"


# A space admin (or an organization admin) naming, in their own space's address, a phase,
# component or role of another space: the lookup is scoped to the space, so 404.
CROSS_SPACE_CASES = [
    pytest.param(ROLE[role], route, other, id=f"{route.method}-{route.name}-S1_with_{other}_object-{role}")
    for route in ROUTES
    if route.names_an_object_in_the_space
    for other in ("S2", "S3")
    for role in ("space_admin", "org_admin")
]


@pytest.mark.parametrize(("role", "route", "other"), CROSS_SPACE_CASES)
def test_objects_of_another_space_are_not_found_through_ones_own_space(world, role, route, other):
    client = _client(role, world)
    before = fingerprint()

    response = request(client, route, url_for(world, route, "S1", other), data_for(world, route, "S1", other))

    assert response.status_code == 404
    body = response.content.decode()
    for text in hidden_strings(world, role):
        assert text not in body
    assert fingerprint() == before


def test_the_matrix_covers_every_back_office_url():
    from django.urls import resolve

    from civitas.backoffice import urls
    from civitas.newsletters import admin_urls as newsletter_urls
    from civitas.people import admin_urls as people_urls

    dummy_ids = {
        "space": 1,
        "phase": 1,
        "other_phase": 2,
        "component": 1,
        "role": 1,
        "question": 1,
        "newsletter": 1,
        "group": 1,
    }
    dummy_ids |= {"blog": 1, "post": 1}
    dummy_ids |= {"proposals": 1, "ideas": 2, "open1": 1, "open2": 2, "meeting": 1}
    dummy_ids |= {"person": 1, "invitation": 1, "holder": 1}
    dummy_ids |= {"survey": 1, "survey_question": "q1"}
    reached = {
        resolve("/admin/" + route.path.format(**dummy_ids).partition("?")[0]).view_name for route in ROUTES
    }
    synthesis = {
        f"proposals_admin:{name}"
        for name in ("merge", "split", "publish_imports", "publish_meeting_proposals")
    }
    assert reached == (
        {f"backoffice:{pattern.name}" for pattern in urls.urlpatterns}
        | {
            "pages_admin:edit",
            "blog_admin:index",
            "blog_admin:create",
            "blog_admin:edit",
            "blog_admin:delete",
        }
        | {f"newsletters_admin:{pattern.name}" for pattern in newsletter_urls.urlpatterns}
        | synthesis
        | {
            f"surveys_admin:{name}"
            for name in ("themes", "themes_run", "theme_name", "theme_merge", "theme_split")
        }
        | {f"people_admin:{pattern.name}" for pattern in people_urls.urlpatterns}
        | {"moderation:blocked", "moderation:block", "moderation:unblock"}
        | {"authorizations_admin:census", "authorizations_admin:letters"}
    )
    assert len(CASES) == 1990 and len(CROSS_SPACE_CASES) == 128
