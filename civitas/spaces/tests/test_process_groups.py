"""Process groups: a group page shows only what its visitor may see, and lists stay one card per group."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.spaces.models import Phase, ProcessGroup, Space, SpaceRole
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - timedelta(days=60)
FUTURE = TODAY + timedelta(days=30)


def _process(org, slug, group=None, **fields):
    fields.setdefault("title", f"Quartier {slug}")
    fields.setdefault("published_at", timezone.now())
    return Space.objects.create(organization=org, slug=slug, group=group, **fields)


@pytest.fixture
def member(org_a):
    return UserFactory(organization=org_a, nickname="membre", email="membre@a.test")


@pytest.fixture
def group(org_a, org_b, member):
    """Budget participatif 2027: ongoing, upcoming and past districts, plus some a visitor never sees."""
    group = ProcessGroup.objects.create(organization=org_a, slug="bp-2027", title="Budget participatif 2027")
    _process(org_a, "nord", group, start_date=PAST, end_date=FUTURE)
    _process(org_a, "sud", group, start_date=FUTURE)
    _process(org_a, "est", group, start_date=PAST, end_date=TODAY - timedelta(days=1))
    private = _process(org_a, "conseil-ouest", group, visibility="private", title="Conseil secret ouest")
    SpaceRole.objects.create(space=private, user=member, role="member")
    _process(org_a, "brouillon", group, published_at=None, title="Brouillon centre")
    # Another organization's process cannot be put in the group by the admin form; even in
    # the database it is never shown through A's group.
    _process(org_b, "intrus", group, title="Quartier de B")
    return group


def _titles(response) -> set[str]:
    return {space.title for space in response.context["processes"]}


def test_the_group_page_shows_only_the_processes_its_visitor_may_see(org_a, group, member, admin_a):
    anonymous = Client(HTTP_HOST=org_a.host)
    response = anonymous.get("/process-groups/bp-2027/")
    assert response.status_code == 200
    assert _titles(response) == {"Quartier nord", "Quartier sud", "Quartier est"}
    body = response.content.decode()
    for hidden in ("Conseil secret ouest", "Brouillon centre", "Quartier de B"):
        assert hidden not in body
    assert "3 processus" in body

    as_member = Client(HTTP_HOST=org_a.host)
    as_member.force_login(member)
    assert "Quartier conseil-ouest" not in _titles(as_member.get("/process-groups/bp-2027/"))
    assert "Conseil secret ouest" in _titles(as_member.get("/process-groups/bp-2027/"))

    as_admin = Client(HTTP_HOST=org_a.host)
    as_admin.force_login(admin_a)
    # Even an admin's public page lists no draft: drafts are seen in the back-office.
    assert "Brouillon centre" not in _titles(as_admin.get("/process-groups/bp-2027/"))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("active", {"Quartier nord"}),
        ("upcoming", {"Quartier sud"}),
        ("past", {"Quartier est"}),
        ("all", {"Quartier nord", "Quartier sud", "Quartier est"}),
        ("nonsense", {"Quartier nord", "Quartier sud", "Quartier est"}),
    ],
)
def test_the_group_page_filters_by_status(org_a, group, period, expected):
    response = Client(HTTP_HOST=org_a.host).get(f"/process-groups/bp-2027/?period={period}")
    assert _titles(response) == expected


def test_a_group_without_a_visible_process_does_not_exist_for_the_visitor(org_a, org_b, member, admin_a):
    hidden = ProcessGroup.objects.create(organization=org_a, slug="cache", title="Groupe caché")
    private = _process(org_a, "prive", hidden, visibility="private")
    _process(org_a, "projet", hidden, published_at=None)
    anonymous = Client(HTTP_HOST=org_a.host)
    assert anonymous.get("/process-groups/cache/").status_code == 404
    SpaceRole.objects.create(space=private, user=member, role="member")
    as_member = Client(HTTP_HOST=org_a.host)
    as_member.force_login(member)
    assert as_member.get("/process-groups/cache/").status_code == 200
    as_admin = Client(HTTP_HOST=org_a.host)
    as_admin.force_login(admin_a)
    assert as_admin.get("/process-groups/cache/").status_code == 200
    # Another organization's host does not know the group.
    assert Client(HTTP_HOST=org_b.host).get("/process-groups/cache/").status_code == 404


def test_the_spaces_list_shows_a_group_as_one_card_counting_only_visible_processes(org_a, group):
    alone = _process(org_a, "seul", start_date=PAST, title="Processus seul")
    response = Client(HTTP_HOST=org_a.host).get("/spaces/?period=all")
    slugs = [space.slug for space in response.context["page"].object_list]
    assert slugs == [alone.slug]
    [card] = response.context["groups"]
    assert card.pk == group.pk and card.shown_count == 3
    body = response.content.decode()
    assert "/process-groups/bp-2027/" in body and "3 processus" in body
    assert "Quartier nord" not in body
    # Filtered to the upcoming ones: the group still shows, for its upcoming district.
    upcoming = Client(HTTP_HOST=org_a.host).get("/spaces/?period=upcoming")
    assert [g.pk for g in upcoming.context["groups"]] == [group.pk]
    # Assemblies only: no group card, as groups gather processes.
    assemblies = Client(HTTP_HOST=org_a.host).get("/spaces/?period=all&kind=assembly")
    assert assemblies.context["groups"] == []


def test_a_group_of_only_hidden_processes_has_no_card(org_a):
    hidden = ProcessGroup.objects.create(organization=org_a, slug="cache", title="Groupe caché")
    _process(org_a, "prive", hidden, visibility="private", start_date=PAST)
    response = Client(HTTP_HOST=org_a.host).get("/spaces/?period=all")
    assert response.context["groups"] == []
    assert "Groupe caché" not in response.content.decode()


def test_a_process_page_links_back_to_its_group(org_a, group):
    body = Client(HTTP_HOST=org_a.host).get("/spaces/nord/").content.decode()
    assert 'href="/process-groups/bp-2027/"' in body
    assert "Fait partie de « Budget participatif 2027 »" in body


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _grow(org, groups: int, per_group: int, offset: int) -> None:
    for g in range(groups):
        group = ProcessGroup.objects.create(organization=org, slug=f"g-{offset}-{g}", title=f"Groupe {g}")
        for n in range(per_group):
            space = _process(org, f"p-{offset}-{g}-{n}", group, start_date=PAST)
            phase = Phase.objects.create(space=space, title="Vote", position=0)
            Space.objects.filter(pk=space.pk).update(active_phase=phase)


def test_queries_do_not_grow_with_groups_and_processes(org_a, member):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(member)
    _grow(org_a, 1, 2, 0)
    small_list = _count(client, "/spaces/?period=all")
    small_group = _count(client, "/process-groups/g-0-0/")
    _grow(org_a, 4, 12, 1)
    Space.objects.filter(slug__startswith="p-1-0-").update(group=ProcessGroup.objects.get(slug="g-0-0"))
    assert _count(client, "/spaces/?period=all") == small_list
    assert _count(client, "/process-groups/g-0-0/") == small_group


def test_an_admin_builds_a_group_and_it_is_logged_in_french(org_a, org_b, admin_a):
    mine = _process(org_a, "nord", title="Quartier nord")
    assembly = _process(org_a, "conseil", kind=Space.Kind.ASSEMBLY, title="Conseil")
    theirs = _process(org_b, "ailleurs", title="Ailleurs")
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    data = {
        "title": "Budget participatif 2027",
        "description": "<p>Douze quartiers, un budget.</p><script>alert(1)</script>",
        "organiser": "Ville, mission démocratie",
        "scope": "Les douze quartiers",
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "processes": [mine.pk],
    }
    response = client.post("/admin/groups/new/", data)
    assert response.status_code == 302
    group = ProcessGroup.objects.get(organization=org_a)
    assert group.slug == "budget-participatif-2027"
    assert "<script" not in group.description
    assert list(group.processes.all()) == [mine]
    entry = ActionLogEntry.objects.get(action="group.create")
    assert entry.after["group_processes"] == [mine.pk]
    log = client.get("/admin/log/").content.decode()
    assert "A créé un groupe de processus" in log

    # Neither an assembly nor another organization's process can be put in it.
    for intruder in (assembly, theirs):
        refused = client.post(f"/admin/groups/{group.pk}/", {**data, "processes": [intruder.pk]})
        assert refused.status_code == 200
        assert "processes" in refused.context["form"].errors
    assert list(group.processes.all()) == [mine]

    # Dates the wrong way round are refused, changing nothing.
    wrong = client.post(f"/admin/groups/{group.pk}/", {**data, "end_date": "2026-01-01"})
    assert wrong.status_code == 200 and "end_date" in wrong.context["form"].errors

    # Unticked, the process leaves the group; deleting the group leaves its processes.
    client.post(f"/admin/groups/{group.pk}/", {**data, "processes": []})
    mine.refresh_from_db()
    assert mine.group is None
    client.post(f"/admin/groups/{group.pk}/", data)
    client.post(f"/admin/groups/{group.pk}/delete/", {"confirm_delete": "1"})
    assert not ProcessGroup.objects.exists()
    assert Space.objects.filter(pk=mine.pk, group__isnull=True).exists()
    assert ActionLogEntry.objects.filter(action="group.delete").count() == 1


def test_only_organization_admins_manage_groups(org_a, admin_a, member):
    space = _process(org_a, "nord")
    SpaceRole.objects.create(space=space, user=member, role="admin")
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(member)
    assert client.get("/admin/groups/").status_code == 403
    assert client.post("/admin/groups/new/", {"title": "Groupe"}).status_code == 403
    assert not ProcessGroup.objects.exists()


def test_the_home_page_highlights_a_group_with_only_what_the_visitor_may_see(org_a, admin_a, group, member):
    from civitas.homepage.models import HomeBlock
    from civitas.homepage.services import ensure_arranged

    ensure_arranged(org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(admin_a)
    response = client.post(
        "/admin/home/new/?type=process_group",
        {"title": "", "group": group.pk, "text": "Douze quartiers, un budget."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    block = HomeBlock.objects.get(organization=org_a, kind="process_group")
    assert block.settings == {"group": group.pk, "text": "Douze quartiers, un budget."}
    body = Client(HTTP_HOST=org_a.host).get("/").content.decode()
    assert "Budget participatif 2027" in body and "/process-groups/bp-2027/" in body
    assert "Voir ses 3 processus" in body
    for hidden in ("Conseil secret ouest", "Brouillon centre", "Quartier de B"):
        assert hidden not in body
    # A group whose processes the visitor may not see leaves the home page without its block.
    Space.objects.filter(group=group, visibility="public").update(published_at=None)
    body = Client(HTTP_HOST=org_a.host).get("/").content.decode()
    assert "/process-groups/bp-2027/" not in body
