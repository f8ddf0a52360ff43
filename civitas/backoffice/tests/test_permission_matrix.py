"""Who may do what in the back-office: every URL × role × target, GET and POST.

Rules checked for each case:
- visitors (and sessions replayed on another organization's host) go to the log-in page;
- a space, phase, component or question of another organization answers 404;
- organization admins may do everything in their organization;
- space admins may work on their own spaces, see the dashboard, the space list and the
  action log (filtered), and nothing else (403);
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


@dataclass(frozen=True)
class Role:
    name: str
    user: str | None  # key in World.users; None for a visitor
    org: str | None  # the user's organization
    host: str = "A"  # the host the request goes to
    is_org_admin: bool = False
    administers: frozenset = frozenset()

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

    @property
    def targets(self) -> tuple[str, ...]:
        if self.access in (SPACE, SPACE_ORDER):
            return ("S1", "S2", "S3")
        if self.access == QUESTION:
            return ("QA", "QB")
        return ("own_org",)

    @property
    def names_an_object_in_the_space(self) -> bool:
        return any(name in self.path for name in ("{phase", "{component}", "{role}"))


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
UP = {"direction": "up"}
PUBLISH = {"publish": "1"}

ROUTES = (
    # Organization-level pages.
    Route("dashboard", "GET", BACKOFFICE, ""),
    Route("space_list", "GET", BACKOFFICE, "spaces/"),
    Route("action_log", "GET", BACKOFFICE, "log/"),
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
    # One space.
    Route("space", "GET", SPACE, "spaces/{space}/"),
    Route("space_edit", "GET", SPACE, "spaces/{space}/edit/"),
    Route("space_edit", "POST", SPACE, "spaces/{space}/edit/", SPACE_DATA),
    Route("space_publish", "POST", SPACE, "spaces/{space}/publish/", PUBLISH),
    Route("space_move", "POST", SPACE_ORDER, "spaces/{space}/move/", UP),
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
)


def expected_outcome(role: Role, route: Route, target: str, world_org_of) -> int | str:
    if not role.session_honoured:
        return LOGIN
    if route.access in (SPACE, SPACE_ORDER):
        if world_org_of(target) != role.host:
            return 404
        if role.is_org_admin or (route.access == SPACE and target in role.administers):
            return ALLOWED
        return 403
    if route.access == QUESTION:
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
    return hidden


def url_for(world, route: Route, space_key: str, object_key: str | None = None) -> str:
    """The route's address for a space (or question), naming the phase/component/role of ``object_key``."""
    object_key = object_key or space_key
    ids = {}
    if space_key in world.spaces:
        ids = {
            "space": world.spaces[space_key].pk,
            "phase": world.phases[object_key][0].pk,
            "other_phase": world.phases[object_key][1].pk,
            "component": world.components[object_key].pk,
            "role": world.roles[object_key].pk,
        }
    elif space_key in world.questions:
        ids = {"question": world.questions[space_key].pk}
    return "/admin/" + route.path.format(**ids)


def request(client, route: Route, url: str):
    return client.get(url) if route.method == "GET" else client.post(url, route.data)


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

    response = request(client, route, url)

    expected = expected_outcome(role, route, target, world.org_of)
    body = response.content.decode()
    for text in hidden_strings(world, role):
        assert text not in body, f"{url} shows {text!r} to {role.name}"
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=/admin/")
    elif expected != ALLOWED:
        assert response.status_code == expected
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

    response = request(client, route, url_for(world, route, "S1", other))

    assert response.status_code == 404
    body = response.content.decode()
    for text in hidden_strings(world, role):
        assert text not in body
    assert fingerprint() == before


def test_the_matrix_covers_every_back_office_url():
    from django.urls import resolve

    from civitas.backoffice import urls

    dummy_ids = {"space": 1, "phase": 1, "other_phase": 2, "component": 1, "role": 1, "question": 1}
    reached = {resolve("/admin/" + route.path.format(**dummy_ids)).view_name for route in ROUTES}
    assert reached == {f"backoffice:{pattern.name}" for pattern in urls.urlpatterns} | {"pages_admin:edit"}
    assert len(CASES) == 819 and len(CROSS_SPACE_CASES) == 52
