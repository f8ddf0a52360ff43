"""Home page, list of spaces and space page: who sees what, filters, and a bounded number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.components.models import Component
from civitas.components.pages.models import Page
from civitas.components.proposals import services as proposals
from civitas.spaces.models import Phase, Space, SpaceRole, Tag
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PAST = TODAY - timedelta(days=30)
FUTURE = TODAY + timedelta(days=30)


def _space(org, slug, **fields):
    fields.setdefault("title", slug.replace("-", " ").title())
    fields.setdefault("published_at", timezone.now())
    return Space.objects.create(organization=org, slug=slug, **fields)


def _slugs(response) -> list[str]:
    return [space.slug for space in response.context["page"].object_list]


def _block(response, kind: str) -> dict:
    return next(item.context for item in response.context["blocks"] if item.block.kind == kind)


def _promoted(response) -> list[str]:
    """The spaces of the home page's default block: under way today, promoted ones first."""
    return [space.slug for space in _block(response, "open_spaces")["spaces"]]


def _figures(response) -> dict[str, int]:
    return {key: count for key, _label, count in _block(response, "key_figures")["figures"]}


@pytest.fixture
def member(org_a):
    return UserFactory(organization=org_a)


@pytest.fixture
def spaces(org_a, org_b, member):
    """A little of everything in commune A, and look-alikes in commune B."""
    made = {
        "public": _space(org_a, "public", promoted=True, start_date=PAST),
        "ongoing": _space(org_a, "ongoing", start_date=PAST, end_date=FUTURE),
        "upcoming": _space(org_a, "upcoming", start_date=FUTURE, promoted=True),
        "past": _space(org_a, "past", start_date=PAST - timedelta(days=60), end_date=PAST),
        "assembly": _space(org_a, "assembly", kind=Space.Kind.ASSEMBLY),
        "transparent": _space(org_a, "transparent", visibility=Space.Visibility.TRANSPARENT),
        "private": _space(org_a, "private", visibility=Space.Visibility.PRIVATE, promoted=True),
        "draft": _space(org_a, "draft", published_at=None, promoted=True),
        "other": _space(org_b, "other-org", title="Secret de B", promoted=True),
        "same-slug-b": _space(org_b, "public", title="Public de B"),
    }
    SpaceRole.objects.create(space=made["private"], user=member, role=SpaceRole.Role.MEMBER)
    SpaceRole.objects.create(space=made["transparent"], user=member, role=SpaceRole.Role.MEMBER)
    return made


# --- home page ------------------------------------------------------------------------------


def test_home_shows_promoted_visible_spaces_of_the_organization(client_a, spaces, member, admin_a):
    response = client_a.get("/")
    assert response.status_code == 200
    # Not yet started (upcoming), finished (past), private or draft: left out.
    assert _promoted(response) == ["public", "ongoing", "assembly", "transparent"]
    html = response.content.decode()
    assert "Secret de B" not in html and "Public de B" not in html
    assert _figures(response)["processes"] == 5  # published, not private
    assert _figures(response)["assemblies"] == 1

    client_a.force_login(member)
    response = client_a.get("/")
    assert _promoted(response) == ["public", "private", "ongoing", "assembly", "transparent"]
    assert _figures(response)["processes"] == 6

    client_a.force_login(admin_a)
    assert "draft" not in _promoted(client_a.get("/"))


def test_home_shows_at_most_six_promoted(client_a, org_a):
    for index in range(8):
        _space(org_a, f"space-{index}", promoted=True)
    assert _promoted(client_a.get("/")) == [f"space-{index}" for index in range(6)]


def _ideas(org, admin):
    space = published_space(org, admin, "Idées pour la ville")
    return published_component(space, admin, "proposals", "Idées", creation_enabled=True, supports="enabled")


def _publish(author, component, title):
    proposal = proposals.do_create_draft(user=author, component=component, title=title, body="Pour tous.")
    proposals.do_publish(proposal=proposal, user=author)
    return proposal


def test_home_counts_only_this_organization_participants(client_a, client_b, org_a, org_b, admin_a, user_a):
    """The headline counts people who took part here, not every account signed up."""
    ideas_a = _ideas(org_a, admin_a)
    proposal = _publish(user_a, ideas_a, "Des bancs au parc")
    proposals.do_support(proposal=proposal, user=UserFactory(organization=org_a))
    UserFactory.create_batch(3, organization=org_a)  # signed up here, never took part
    ideas_b = _ideas(org_b, UserFactory(organization=org_b, is_organization_admin=True))
    for index in range(4):  # took part, but in the other organization
        _publish(UserFactory(organization=org_b), ideas_b, f"Idée {index}")
    home = client_a.get("/")
    assert _figures(home)["participants"] == 2
    assert '<dd data-figure="participants">2</dd>' in home.text
    assert _figures(client_b.get("/"))["participants"] == 4


# --- list of spaces -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["public", "ongoing", "assembly", "transparent"]),
        ("?period=active", ["public", "ongoing", "assembly", "transparent"]),
        ("?period=upcoming", ["upcoming"]),
        ("?period=past", ["past"]),
        ("?period=all", ["public", "ongoing", "upcoming", "past", "assembly", "transparent"]),
        ("?period=nonsense", ["public", "ongoing", "assembly", "transparent"]),
        ("?period=all&kind=process", ["public", "ongoing", "upcoming", "past", "transparent"]),
        ("?period=all&kind=assembly", ["assembly"]),
        ("?period=past&kind=assembly", []),
        ("?kind=nonsense", ["public", "ongoing", "assembly", "transparent"]),
    ],
)
def test_list_filters(client_a, spaces, query, expected):
    response = client_a.get(f"/spaces/{query}")
    assert response.status_code == 200
    assert _slugs(response) == expected


def test_list_shows_private_spaces_to_members_and_admins_only(client_a, spaces, member, user_a, admin_a):
    client_a.force_login(user_a)
    assert "private" not in _slugs(client_a.get("/spaces/?period=all"))
    client_a.force_login(member)
    assert "private" in _slugs(client_a.get("/spaces/?period=all"))
    client_a.force_login(admin_a)
    slugs = _slugs(client_a.get("/spaces/?period=all"))
    assert "private" in slugs and "draft" not in slugs


def test_list_shows_nothing_of_another_organization(client_b, spaces):
    response = client_b.get("/spaces/?period=all")
    assert _slugs(response) == ["other-org", "public"]
    assert [space.title for space in response.context["page"].object_list] == ["Secret de B", "Public de B"]
    assert "Budget" not in response.content.decode()


def test_list_is_paginated(client_a, org_a):
    for index in range(14):
        _space(org_a, f"space-{index:02d}")
    assert len(_slugs(client_a.get("/spaces/"))) == 12
    assert _slugs(client_a.get("/spaces/?page=2")) == ["space-12", "space-13"]
    assert _slugs(client_a.get("/spaces/?page=99")) == ["space-12", "space-13"]


# --- space page -----------------------------------------------------------------------------


def _status(client, space) -> int:
    return client.get(f"/spaces/{space.slug}/").status_code


def test_draft_space_only_for_its_admins(client_a, spaces, org_a, user_a, admin_a):
    draft = spaces["draft"]
    assert _status(client_a, draft) == 404
    client_a.force_login(user_a)
    assert _status(client_a, draft) == 404
    for role in (SpaceRole.Role.MEMBER, SpaceRole.Role.MODERATOR):
        SpaceRole.objects.create(space=draft, user=user_a, role=role)
    assert _status(client_a, draft) == 404
    animator = UserFactory(organization=org_a)
    SpaceRole.objects.create(space=draft, user=animator, role=SpaceRole.Role.ADMIN)
    client_a.force_login(animator)
    assert _status(client_a, draft) == 200
    assert _status(client_a, spaces["private"]) == 404  # admin of another space only
    client_a.force_login(admin_a)
    assert _status(client_a, draft) == 200


def test_private_space_only_for_members(client_a, spaces, member, user_a, admin_a):
    private = spaces["private"]
    assert _status(client_a, private) == 404
    client_a.force_login(user_a)
    assert _status(client_a, private) == 404
    client_a.force_login(member)
    response = client_a.get(f"/spaces/{private.slug}/")
    assert response.status_code == 200
    assert response.context["can_participate"] is True
    client_a.force_login(admin_a)
    assert _status(client_a, private) == 200


def test_transparent_space_visible_to_all_participation_for_members(client_a, spaces, member, user_a):
    url = f"/spaces/{spaces['transparent'].slug}/"
    response = client_a.get(url)
    assert response.status_code == 200 and response.context["can_participate"] is False
    client_a.force_login(user_a)
    response = client_a.get(url)
    assert response.status_code == 200 and response.context["can_participate"] is False
    client_a.force_login(member)
    assert client_a.get(url).context["can_participate"] is True


def test_public_space_participation_needs_a_confirmed_account(client_a, spaces, org_a, user_a):
    url = f"/spaces/{spaces['public'].slug}/"
    response = client_a.get(url)
    assert response.status_code == 200 and response.context["can_participate"] is False
    assert response.context["can_admin"] is False
    client_a.force_login(UserFactory(organization=org_a, email_confirmed_at=None))
    assert client_a.get(url).context["can_participate"] is False
    client_a.force_login(user_a)
    assert client_a.get(url).context["can_participate"] is True


def test_space_page_never_shows_another_organization(client_a, client_b, spaces, org_b):
    assert _status(client_a, spaces["other"]) == 404
    response = client_a.get("/spaces/public/")
    assert response.context["space"] == spaces["public"]
    assert "Public de B" not in response.content.decode()
    assert client_b.get("/spaces/public/").context["space"] == spaces["same-slug-b"]
    # An organization admin of B is nobody on A's host.
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    client_a.force_login(admin_b)
    assert _status(client_a, spaces["draft"]) == 404
    assert _status(client_a, spaces["private"]) == 404


def test_space_page_lists_only_published_components_and_visible_children(client_a, org_a, member):
    parent = _space(org_a, "conseil", kind=Space.Kind.ASSEMBLY)
    shown = Component.objects.create(
        space=parent, manifest_name="pages", name="Charte", published_at=timezone.now()
    )
    hidden = Component.objects.create(space=parent, manifest_name="pages", name="Brouillon")
    _space(org_a, "quartier-nord", kind=Space.Kind.ASSEMBLY, parent=parent)
    _space(
        org_a, "quartier-sud", kind=Space.Kind.ASSEMBLY, parent=parent, visibility=Space.Visibility.PRIVATE
    )
    _space(org_a, "quartier-est", kind=Space.Kind.ASSEMBLY, parent=parent, published_at=None)
    response = client_a.get("/spaces/conseil/")
    assert response.context["components"] == [shown]
    assert hidden.name not in response.content.decode()
    assert [child.slug for child in response.context["children"]] == ["quartier-nord"]
    SpaceRole.objects.create(space=Space.objects.get(slug="quartier-sud"), user=member, role="member")
    client_a.force_login(member)
    children = client_a.get("/spaces/conseil/").context["children"]
    assert [child.slug for child in children] == ["quartier-nord", "quartier-sud"]


# --- number of queries ----------------------------------------------------------------------


def _add_content(org, count: int, start: int, parent: Space, tags: list[Tag]) -> None:
    """``count`` published spaces, each with phases (one current), a published page and tags.

    Processes are promoted and current; every fifth space is an assembly inside ``parent``.
    """
    now = timezone.now()
    spaces = Space.objects.bulk_create(
        Space(
            organization=org,
            slug=f"space-{index}",
            title=f"Space {index}",
            kind=Space.Kind.ASSEMBLY if index % 5 == 0 else Space.Kind.PROCESS,
            parent=parent if index % 5 == 0 else None,
            visibility=Space.Visibility.TRANSPARENT if index % 3 == 0 else Space.Visibility.PUBLIC,
            promoted=True,
            position=index,
            start_date=date(2020, 1, 1),
            published_at=now,
        )
        for index in range(start, start + count)
    )
    phases = Phase.objects.bulk_create(
        Phase(space=space, title=f"Phase {number}", position=number)
        for space in spaces
        for number in range(3)
    )
    for space, phase in zip(spaces, phases[::3], strict=True):
        space.active_phase = phase
    Space.objects.bulk_update(spaces, ["active_phase"])
    components = Component.objects.bulk_create(
        Component(space=space, manifest_name="pages", name=f"Page {space.pk}", published_at=now)
        for space in spaces
    )
    Page.objects.bulk_create(Page(component=component, body="<p>Texte</p>") for component in components)
    Space.tags.through.objects.bulk_create(
        Space.tags.through(space=space, tag=tag) for space in spaces for tag in tags
    )


def _queries(client, url: str) -> int:
    client.get(url)  # warm caches (content types, templates) so both measures compare like with like
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_query_count_does_not_grow_with_content(org_a, org_b, member, admin_a, record_property):
    tags = [Tag.objects.create(organization=org_a, name=name) for name in ("mobilité", "écologie", "budget")]
    parent = _space(org_a, "conseil", kind=Space.Kind.ASSEMBLY, promoted=True)
    process = _space(org_a, "budget-2025", start_date=date(2020, 1, 1))
    process.tags.set(tags)
    process_phases = [Phase.objects.create(space=process, title=f"Phase {n}", position=n) for n in range(4)]
    Space.objects.filter(pk=process.pk).update(active_phase=process_phases[1])
    for name in ("Règlement", "Charte"):
        component = Component.objects.create(
            space=process, manifest_name="pages", name=name, published_at=timezone.now()
        )
        Page.objects.create(component=component, body="<p>Texte</p>")
    SpaceRole.objects.create(space=parent, user=member, role=SpaceRole.Role.MEMBER)
    _space(org_b, "ailleurs", promoted=True)

    pages = ["/", "/spaces/", "/spaces/?period=all&kind=assembly", "/spaces/budget-2025/", "/spaces/conseil/"]
    visitors = {"anonymous": Client(HTTP_HOST=org_a.host)}
    for name, user in (("member", member), ("admin", admin_a)):
        visitors[name] = Client(HTTP_HOST=org_a.host)
        visitors[name].force_login(user)

    def measure():
        return {(who, url): _queries(client, url) for who, client in visitors.items() for url in pages}

    _add_content(org_a, 5, 0, parent, tags)
    small = measure()
    _add_content(org_a, 195, 5, parent, tags)
    assert Space.objects.filter(organization=org_a).count() == 202
    large = measure()
    report = {f"{who} {url}": (small[who, url], large[who, url]) for who, url in small}
    record_property("query_counts", report)
    print("\nqueries with 5 → 200 spaces:", report)
    assert large == small, report
