"""Every change made in the back-office leaves exactly one action-log entry, written with it.

Also: a refused or invalid form writes nothing, and the log page shows each admin the part
of the log that is theirs (everything for organization admins, their spaces for space admins,
nothing of another organization).
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.services import log_action
from civitas.backoffice.tests.conftest import fingerprint
from civitas.spaces.models import Space

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Change:
    """One successful back-office POST and the log entry it must leave."""

    name: str
    path: str  # below /admin/, formatted with the ids of S1's objects
    data: dict
    action: str
    in_space: bool = True  # the entry names space S1 (or the space it creates)
    before: bool = True  # the entry has a "before" picture
    after: bool = True  # the entry has an "after" picture
    prepare: object = field(default=None, compare=False)  # world -> None, run before the POST


def _publish_s1(world):
    world.spaces["S1"].published_at = timezone.now()
    world.spaces["S1"].save(update_fields=["published_at"])
    world.components["S1"].published_at = timezone.now()
    world.components["S1"].save(update_fields=["published_at"])


SETTINGS = {
    "name": "Commune A",
    "default_locale": "fr",
    "available_locales": ["fr", "en"],
    "primary_colour": "#7a1f5c",
    "secondary_colour": "#f2c14e",
    "contact_email": "contact@a.test",
    "signup_open": "on",
}
QUESTION = {"locale": "fr", "question": "Quel fleuve ?", "answers": "Loire\nla Loire", "is_active": "on"}
SPACE = {"title": "Title-S1", "subtitle": "Édition 2027", "visibility": "public", "phase_switching": "manual"}
PHASE = {"title": "Vote", "start_date": "2027-01-10", "end_date": "2027-02-28"}

CHANGES = (
    Change("settings", "settings/", SETTINGS, "organization.update", in_space=False),
    Change("captcha_create", "captcha/", QUESTION, "captcha_question.create", in_space=False, before=False),
    Change("captcha_edit", "captcha/{question}/", QUESTION, "captcha_question.update", in_space=False),
    Change(
        "captcha_delete",
        "captcha/{question}/delete/",
        {"confirm_delete": "1"},
        "captcha_question.delete",
        in_space=False,
        after=False,
    ),
    Change(
        "space_create",
        "spaces/new/process/",
        {**SPACE, "title": "Nouveau budget", "blueprint": "participatory_budget"},
        "space.create",
        before=False,
    ),
    Change(
        "space_create_assembly",
        "spaces/new/assembly/",
        {"title": "Conseil de quartier", "visibility": "public", "purpose": "Débattre"},
        "space.create",
        before=False,
    ),
    Change("space_edit", "spaces/{space}/edit/", {**SPACE, "tags": "vélo, quartier"}, "space.update"),
    Change("space_publish", "spaces/{space}/publish/", {"publish": "1"}, "space.publish"),
    Change(
        "space_unpublish", "spaces/{space}/publish/", {"publish": "0"}, "space.unpublish", prepare=_publish_s1
    ),
    Change("space_move", "spaces/{space}/move/", {"direction": "down"}, "space.move"),
    Change("phase_create", "spaces/{space}/phases/new/", PHASE, "phase.create", before=False),
    Change("phase_edit", "spaces/{space}/phases/{phase}/", PHASE, "phase.update"),
    Change("phase_activate", "spaces/{space}/phases/{other_phase}/activate/", {}, "phase.activate"),
    Change("phase_move", "spaces/{space}/phases/{phase}/move/", {"direction": "down"}, "phase.move"),
    Change(
        "phase_delete",
        "spaces/{space}/phases/{phase}/delete/",
        {"confirm_delete": "1"},
        "phase.delete",
        after=False,
    ),
    Change(
        "role_grant",
        "spaces/{space}/roles/",
        {"person": "newcomer", "role": "moderator", "title": "Animatrice", "is_public": "on"},
        "role.grant",
        before=False,
    ),
    Change(
        "role_update",
        "spaces/{space}/roles/",
        {"person": "member@a.test", "role": "member", "title": "Présidente"},
        "role.update",
        before=False,
    ),
    Change("role_revoke", "spaces/{space}/roles/{role}/revoke/", {}, "role.revoke", after=False),
    Change("role_move", "spaces/{space}/roles/{role}/move/", {"direction": "down"}, "role.move"),
    Change(
        "component_create",
        "spaces/{space}/components/new/",
        {"manifest_name": "pages", "name": "Charte"},
        "component.create",
        before=False,
    ),
    Change(
        "component_configure",
        "spaces/{space}/components/{component}/",
        {
            "component-name": "Charte du budget",
            "settings-show_update_date": "",
            "phase-{phase}-announcement": "Déposez vos idées",
        },
        "component.configure",
    ),
    Change(
        "component_publish",
        "spaces/{space}/components/{component}/publish/",
        {"publish": "1"},
        "component.publish",
    ),
    Change(
        "component_unpublish",
        "spaces/{space}/components/{component}/publish/",
        {"publish": "0"},
        "component.unpublish",
        prepare=_publish_s1,
    ),
    Change(
        "component_move", "spaces/{space}/components/{component}/move/", {"direction": "up"}, "component.move"
    ),
    Change(
        "component_delete",
        "spaces/{space}/components/{component}/delete/",
        {"confirm_delete": "1"},
        "component.delete",
        after=False,
    ),
    Change(
        "page_edit", "spaces/{space}/components/{component}/pages/", {"body": "<p>Règles</p>"}, "page.update"
    ),
)
CHANGE = {change.name: change for change in CHANGES}
SPACE_ADMIN_CHANGES = (
    "space_edit",
    "phase_create",
    "phase_activate",
    "role_grant",
    "role_revoke",
    "component_create",
    "component_configure",
    "component_publish",
    "page_edit",
)


def _ids(world) -> dict:
    return {
        "space": world.spaces["S1"].pk,
        "phase": world.phases["S1"][0].pk,
        "other_phase": world.phases["S1"][1].pk,
        "component": world.components["S1"].pk,
        "role": world.roles["S1"].pk,
        "question": world.questions["QA"].pk,
    }


def _post(client, world, change: Change):
    ids = _ids(world)
    data = {key.format(**ids): value for key, value in change.data.items()}
    return client.post("/admin/" + change.path.format(**ids), data)


def _client_as(world, user_key: str) -> Client:
    client = Client(HTTP_HOST=world.orgs["A"].host)
    client.force_login(world.users[user_key])
    return client


def _check_one_entry(world, change: Change, author_key: str):
    if change.prepare:
        change.prepare(world)
    existing = set(ActionLogEntry.objects.values_list("pk", flat=True))

    response = _post(_client_as(world, author_key), world, change)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not response["Location"].startswith("/accounts/login/")
    new = list(ActionLogEntry.objects.exclude(pk__in=existing))
    assert len(new) == 1, [entry.action for entry in new]
    entry = new[0]
    assert entry.action == change.action
    assert entry.user == world.users[author_key]
    assert entry.organization == world.orgs["A"]
    if not change.in_space:
        assert entry.space is None
    elif change.name.startswith("space_create"):
        assert entry.space == Space.objects.get(organization=world.orgs["A"], pk=int(entry.target_id))
    else:
        assert entry.space == world.spaces["S1"]
    assert (entry.before is not None) == change.before
    assert (entry.after is not None) == change.after
    assert entry.target_type and entry.target_id
    return entry


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.name)
def test_each_change_by_an_organization_admin_writes_one_entry(world, change):
    _check_one_entry(world, change, "org_admin")


@pytest.mark.parametrize("name", SPACE_ADMIN_CHANGES)
def test_each_change_by_a_space_admin_writes_one_entry(world, name):
    _check_one_entry(world, CHANGE[name], "space-admin")


def test_the_entries_record_what_changed(world):
    entry = _check_one_entry(world, CHANGE["phase_edit"], "org_admin")
    assert entry.before["title"] == "Phase-S1-0" and entry.after["title"] == "Vote"
    assert entry.after["end_date"] == "2027-02-28"

    entry = _check_one_entry(world, CHANGE["phase_activate"], "org_admin")
    assert entry.before == {"active_phase": world.phases["S1"][0].pk}
    assert entry.after == {"active_phase": world.phases["S1"][1].pk}

    entry = _check_one_entry(world, CHANGE["settings"], "org_admin")
    assert entry.after["primary_colour"] == "#7a1f5c" and entry.before["primary_colour"] != "#7a1f5c"
    assert "password" not in entry.after


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.name)
def test_a_change_and_its_entry_are_written_together_or_not_at_all(world, change, monkeypatch):
    """If writing the entry fails, the change is undone with it: both run in one transaction."""
    if change.prepare:
        change.prepare(world)
    client = _client_as(world, "org_admin")
    before = fingerprint()

    def broken_save(*args, **kwargs):
        raise RuntimeError("the log is unavailable")

    monkeypatch.setattr(ActionLogEntry, "save", broken_save)
    with pytest.raises(RuntimeError, match="the log is unavailable"):
        _post(client, world, change)
    monkeypatch.undo()

    assert fingerprint() == before


INVALID = (
    (
        "settings",
        "settings/",
        {**SETTINGS, "primary_colour": "", "external_domain_allowlist": "pas un domaine"},
    ),
    ("captcha_create", "captcha/", {**QUESTION, "answers": " \n "}),
    ("captcha_edit", "captcha/{question}/", {**QUESTION, "question": ""}),
    ("space_create", "spaces/new/process/", {**SPACE, "title": ""}),
    (
        "space_create_bad_dates",
        "spaces/new/process/",
        {**SPACE, "start_date": "2027-05-01", "end_date": "2027-01-01"},
    ),
    ("space_edit", "spaces/{space}/edit/", {**SPACE, "visibility": "secret"}),
    ("space_edit_taken_slug", "spaces/{space}/edit/", {**SPACE, "slug": "title-s2"}),
    ("phase_create", "spaces/{space}/phases/new/", {**PHASE, "end_date": "2026-01-01"}),
    ("phase_edit", "spaces/{space}/phases/{phase}/", {**PHASE, "title": ""}),
    ("role_grant_unknown_person", "spaces/{space}/roles/", {"person": "nobody", "role": "member"}),
    ("role_grant_person_of_b", "spaces/{space}/roles/", {"person": "s3-member@b.test", "role": "admin"}),
    ("role_grant_bad_role", "spaces/{space}/roles/", {"person": "newcomer", "role": "king"}),
    ("component_create", "spaces/{space}/components/new/", {"manifest_name": "nothing", "name": "X"}),
    ("component_configure", "spaces/{space}/components/{component}/", {"component-name": ""}),
    (
        "component_configure_too_long",
        "spaces/{space}/components/{component}/",
        {"component-name": "Charte", "phase-{phase}-announcement": "x" * 501},
    ),
)


@pytest.mark.parametrize(("path", "data"), [pytest.param(p, d, id=name) for name, p, d in INVALID])
def test_an_invalid_form_changes_nothing_and_logs_nothing(world, path, data):
    client = _client_as(world, "org_admin")
    ids = _ids(world)
    before = fingerprint()

    response = client.post("/admin/" + path.format(**ids), {k.format(**ids): v for k, v in data.items()})

    assert response.status_code == 200
    assert fingerprint() == before


# --- The log page -----------------------------------------------------------------------


def _entry(world, org, action, *, space=None, user=None, day=None):
    entry = log_action(
        organization=world.orgs[org],
        user=world.users[user] if user else None,
        action=action,
        target=space or world.orgs[org],
        space=space,
    )
    if day:
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        ActionLogEntry.objects.filter(pk=entry.pk).update(created_at=moment)
    return entry


@pytest.fixture
def log(world):
    """A few entries on known days, in both organizations."""
    ActionLogEntry.objects.all().delete()
    s1, s2, s3 = (world.spaces[key] for key in ("S1", "S2", "S3"))
    entries = {
        "s1_old": _entry(
            world, "A", "phase.update", space=s1, user="space-admin", day=datetime.date(2026, 1, 5)
        ),
        "s1_new": _entry(
            world, "A", "component.publish", space=s1, user="org_admin", day=datetime.date(2026, 3, 1)
        ),
        "s2": _entry(world, "A", "space.update", space=s2, user="s2-member", day=datetime.date(2026, 2, 1)),
        "org": _entry(world, "A", "organization.update", user="org_admin", day=datetime.date(2026, 2, 10)),
        "s3": _entry(world, "B", "space.update", space=s3, user="admin_b", day=datetime.date(2026, 2, 1)),
    }
    return {name: entry.pk for name, entry in entries.items()}


def _shown(client, query="") -> set[int]:
    response = client.get("/admin/log/" + query)
    assert response.status_code == 200
    return {row.entry.pk for row in response.context["page"]}


def test_organization_admins_read_the_whole_log_of_their_organization(world, log):
    client = _client_as(world, "org_admin")
    assert _shown(client) == {log["s1_old"], log["s1_new"], log["s2"], log["org"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("?space={S1}", {"s1_old", "s1_new"}, id="space"),
        pytest.param("?space={S2}", {"s2"}, id="other-space"),
        pytest.param("?space={S3}", set(), id="space-of-another-organization"),
        pytest.param("?user={space-admin}", {"s1_old"}, id="user"),
        pytest.param("?user={admin_b}", set(), id="user-of-another-organization"),
        pytest.param("?action=space", {"s2"}, id="action-prefix"),
        pytest.param("?action=component.publish", {"s1_new"}, id="action"),
        pytest.param("?since=2026-02-01", {"s1_new", "s2", "org"}, id="since"),
        pytest.param("?until=2026-02-01", {"s1_old", "s2"}, id="until"),
        pytest.param("?since=2026-02-02&until=2026-02-28", {"org"}, id="since-and-until"),
        pytest.param("?space={S1}&since=2026-02-01", {"s1_new"}, id="space-and-since"),
        pytest.param("?since=not-a-date", {"s1_old", "s1_new", "s2", "org"}, id="bad-date-is-ignored"),
        pytest.param("?until=2026-13-45", {"s1_old", "s1_new", "s2", "org"}, id="impossible-date-is-ignored"),
        pytest.param("?space=abc&user=", {"s1_old", "s1_new", "s2", "org"}, id="bad-ids-are-ignored"),
    ],
)
def test_organization_admins_filter_the_log(world, log, query, expected):
    ids = {key: space.pk for key, space in world.spaces.items()}
    ids |= {key: user.pk for key, user in world.users.items()}
    client = _client_as(world, "org_admin")
    assert _shown(client, query.format(**ids)) == {log[name] for name in expected}


def test_space_admins_read_only_the_entries_of_their_spaces(world, log):
    client = _client_as(world, "space-admin")
    assert _shown(client) == {log["s1_old"], log["s1_new"]}
    assert _shown(client, f"?space={world.spaces['S2'].pk}") == set()
    assert _shown(client, f"?user={world.users['s2-member'].pk}") == set()
    response = client.get("/admin/log/")
    assert list(response.context["spaces"]) == [world.spaces["S1"]]
    # Nor do they learn who works in the other spaces from the list of authors.
    assert "s2-member" not in {author.nickname for author in response.context["authors"]}
    body = response.content.decode()
    assert "Title-S2" not in body and "s2-member" not in body


def test_an_admin_of_another_organization_never_reads_its_entries(world, log, client_b):
    client_b.force_login(world.users["admin_b"])
    response = client_b.get("/admin/log/")
    assert {row.entry.pk for row in response.context["page"]} == {log["s3"]}
    for query in (f"?space={world.spaces['S1'].pk}", f"?user={world.users['org_admin'].pk}", "?action=phase"):
        assert _shown(client_b, query) == set()
    body = response.content.decode()
    assert "Title-S1" not in body and "Title-S2" not in body
    assert {author.nickname for author in response.context["authors"]} == {"maire-b"}
    # And B's admin session is not honoured on A's host.
    client_b.defaults["HTTP_HOST"] = world.orgs["A"].host
    assert client_b.get("/admin/log/").status_code == 302


def test_participants_do_not_read_the_log(world, log):
    for person in ("participant", "member", "moderator", "evaluator"):
        assert _client_as(world, person).get("/admin/log/").status_code == 403
