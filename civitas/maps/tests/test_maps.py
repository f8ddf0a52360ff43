"""Address suggestions, coordinates stored at save, the maps' markers, the tile host in the CSP."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civitas.components.budgets.models import Budget, Project
from civitas.components.meetings.models import Meeting
from civitas.components.proposals.models import Proposal
from civitas.maps import services
from civitas.spaces.models import SpaceRole
from civitas.spaces.services import do_grant_role
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db

MAP_DATA = re.compile(r'<script id="map-data" type="application/json">(.*?)</script>', re.S)


def _use(organization, server, provider="ban", tiles=None):
    organization.geocoder, organization.geocoder_url = provider, server.url
    if tiles:
        organization.map_tiles = tiles
    organization.save()


@pytest.fixture
def proposals(org_a, admin_a):
    space = published_space(org_a, admin_a)
    return published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)


def _markers(response) -> list:
    match = MAP_DATA.search(response.content.decode())
    return json.loads(match.group(1))["markers"] if match else []


# --- Suggestions ---------------------------------------------------------------


def test_suggestions_come_from_the_organizations_own_geocoder(
    org_a, org_b, user_a, geo_server, other_geo_server, client_a, client_b
):
    _use(org_a, geo_server, "ban")
    _use(org_b, other_geo_server, "photon")
    user_b = UserFactory(organization=org_b)
    client_a.force_login(user_a)
    client_b.force_login(user_b)

    answer = client_a.get("/maps/addresses/", {"q": "rue des lices"}).json()
    assert [place["label"] for place in answer["places"]] == [
        "12 Rue des Lices 49100 Angers",
        "14 Rue des Lices 49100 Angers",
    ]
    first = answer["places"][0]
    assert services.is_checked_place(
        org_a, first["label"], first["latitude"], first["longitude"], first["check"]
    )
    # A signature made for one organization is worth nothing in another.
    assert not services.is_checked_place(
        org_b, first["label"], first["latitude"], first["longitude"], first["check"]
    )
    assert len(geo_server.requests) == 1 and other_geo_server.requests == []

    answer_b = client_b.get("/maps/addresses/", {"q": "rue des lices"}).json()
    assert answer_b["places"][0]["label"] == "12 Rue des Lices, 49100 Angers"  # Photon's format
    assert len(other_geo_server.requests) == 1 and len(geo_server.requests) == 1
    # Org A's cached answer is not org B's either: B's geocoder was asked.
    assert other_geo_server.requests[0].startswith("/api/")


def test_suggestions_need_an_account_of_the_organization(org_a, org_b, geo_server, client_a):
    _use(org_a, geo_server)
    assert client_a.get("/maps/addresses/", {"q": "rue des lices"}).status_code == 302
    stranger = UserFactory(organization=org_b)
    client_a.force_login(stranger)  # a session of org B is not honoured on org A's host
    assert client_a.get("/maps/addresses/", {"q": "rue des lices"}).status_code == 302
    assert geo_server.requests == []


def test_suggestions_are_rate_limited(org_a, user_a, geo_server, client_a, settings):
    settings.CIVITAS_RATE_LIMITS = {"geocode": (None, "3/m")}
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    statuses = [client_a.get("/maps/addresses/", {"q": f"rue des lices {n}"}).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(geo_server.requests) == 3


def test_a_geocoder_down_gets_a_clear_message(org_a, user_a, geo_server, client_a):
    _use(org_a, geo_server)
    geo_server.mode = "error"
    client_a.force_login(user_a)
    response = client_a.get("/maps/addresses/", {"q": "rue des lices"})
    assert response.status_code == 503
    assert "ne répond pas" in response.json()["error"]


# --- Coordinates stored when saving ---------------------------------------------------


def _proposal_data(**extra):
    return {
        "title": "Des bancs rue des Lices",
        "body": "Des bancs à l'ombre pour que chacun puisse se reposer en chemin.",
        **extra,
    }


def _create_url(component):
    return f"{component.get_absolute_url()}new/"


def test_without_javascript_the_typed_address_is_geocoded_on_save(
    org_a, user_a, proposals, geo_server, client_a
):
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    response = client_a.post(_create_url(proposals), _proposal_data(address="12 rue des lices angers"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == pytest.approx((47.46835, -0.55211))
    assert proposal.address == "12 rue des lices angers"


def test_a_picked_suggestion_is_kept_without_asking_again(org_a, user_a, proposals, geo_server, client_a):
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    label, latitude, longitude = "1 Place du Ralliement 49100 Angers", 47.47155, -0.55146
    data = _proposal_data(**services.checked_place_data(org_a, label, latitude, longitude))
    assert client_a.post(_create_url(proposals), data).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == (latitude, longitude)
    assert geo_server.requests == []


def test_forged_coordinates_are_ignored(org_a, user_a, proposals, geo_server, client_a):
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    data = _proposal_data(
        address="1 place du ralliement angers", address_latitude="0", address_longitude="0", address_check="x"
    )
    assert client_a.post(_create_url(proposals), data).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.latitude, proposal.longitude) == pytest.approx((47.47155, -0.55146))


def test_an_address_not_found_is_an_error_and_nothing_is_saved(
    org_a, user_a, proposals, geo_server, client_a
):
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    response = client_a.post(_create_url(proposals), _proposal_data(address="42 impasse introuvable"))
    assert response.status_code == 200
    assert "Cette adresse est introuvable" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_geocoder_down_saves_without_coordinates_and_says_so(
    org_a, user_a, proposals, geo_server, client_a
):
    _use(org_a, geo_server)
    geo_server.mode = "junk"
    client_a.force_login(user_a)
    response = client_a.post(
        _create_url(proposals), _proposal_data(address="12 rue des lices angers"), follow=True
    )
    proposal = Proposal.objects.get()
    assert proposal.address == "12 rue des lices angers" and proposal.latitude is None
    assert "pas encore sur la carte" in response.content.decode()


def test_editing_keeps_or_replaces_the_coordinates(org_a, user_a, proposals, geo_server, client_a):
    _use(org_a, geo_server)
    client_a.force_login(user_a)
    client_a.post(_create_url(proposals), _proposal_data(address="12 rue des lices angers"))
    proposal = Proposal.objects.get()
    edit_url = f"{proposal.get_absolute_url()}edit/"
    page = client_a.get(edit_url).content.decode()
    assert 'data-address-suggest="/maps/addresses/"' in page and 'role="combobox"' not in page  # added by JS
    hidden = dict(re.findall(r'name="(address_\w+)" value="([^"]*)"', page))
    asked = len(geo_server.requests)
    # Unchanged address: its coordinates are kept without asking the geocoder (even down).
    geo_server.mode = "error"
    client_a.post(edit_url, _proposal_data(address="12 rue des lices angers", **hidden))
    proposal.refresh_from_db()
    assert proposal.latitude == pytest.approx(47.46835) and len(geo_server.requests) == asked
    # A new address is geocoded; an empty one has no coordinates.
    geo_server.mode = "ok"
    client_a.post(edit_url, _proposal_data(address="3 boulevard du roi rené", **hidden))
    proposal.refresh_from_db()
    assert proposal.latitude == pytest.approx(47.46889)
    client_a.post(edit_url, _proposal_data(address=""))
    proposal.refresh_from_db()
    assert proposal.latitude is None and proposal.longitude is None


def test_meetings_and_budget_projects_store_coordinates(org_a, admin_a, geo_server, client_a):
    _use(org_a, geo_server, "nominatim")
    space = published_space(org_a, admin_a)
    meetings = published_component(space, admin_a, "meetings", "Réunions")
    budgets = published_component(space, admin_a, "budgets", "Budget")
    budget = Budget.objects.create(component=budgets, title="Toute la ville", total=100_000)
    client_a.force_login(admin_a)
    start = timezone.localtime() + datetime.timedelta(days=3)
    response = client_a.post(
        f"/admin/spaces/{space.pk}/components/{meetings.pk}/meetings/new/",
        {
            "title": "Réunion publique",
            "kind": "in_person",
            "start_time": start.strftime("%Y-%m-%dT%H:%M"),
            "end_time": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "address": "1 place du ralliement",
            "capacity": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Meeting.objects.get().latitude == pytest.approx(47.47155)
    response = client_a.post(
        f"/admin/spaces/{space.pk}/components/{budgets.pk}/budgets/{budget.pk}/projects/new/",
        {"title": "Des arbres", "amount": "1000", "address": "14 rue des lices", "position": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Project.objects.get().longitude == pytest.approx(-0.55243)


# --- Markers: what the viewer may see, at a constant cost -------------------------


def _proposal(component, title, *, located=True, **fields):
    values = {"published_at": timezone.now(), "address": "1 place du Ralliement" if located else ""}
    if located:
        values.update(latitude=47.47155, longitude=-0.55146)
    return Proposal.objects.create(
        component=component,
        author=UserFactory(organization=component.space.organization),
        title=title,
        body="Une proposition assez longue pour compter.",
        **{**values, **fields},
    )


def test_proposal_markers_list_only_what_the_list_shows(org_a, admin_a, proposals, client_a, user_a):
    shown = _proposal(proposals, "Visible et située")
    _proposal(proposals, "Masquée par la modération", hidden_at=timezone.now())
    _proposal(proposals, "Retirée", state=Proposal.State.WITHDRAWN, withdrawn_at=timezone.now())
    draft = _proposal(proposals, "Brouillon", published_at=None)
    _proposal(proposals, "Sans adresse", located=False)
    other = published_component(proposals.space, admin_a, "proposals", "Autres idées")
    _proposal(other, "Dans un autre composant")

    markers = _markers(client_a.get(proposals.get_absolute_url()))
    assert [marker[2:] for marker in markers] == [["Visible et située", shown.get_absolute_url()]]
    # Filtering on the withdrawn state lists them, but never puts them on the map.
    assert [m[2] for m in _markers(client_a.get(proposals.get_absolute_url(), {"state": "withdrawn"}))] == []
    # Their authors do not see their draft or hidden proposal on the map either.
    client_a.force_login(draft.author)
    assert [m[2] for m in _markers(client_a.get(proposals.get_absolute_url()))] == ["Visible et située"]


def test_a_private_space_map_is_for_its_members_only(org_a, admin_a, client_a, user_a):
    space = published_space(org_a, admin_a, "Assemblée privée", visibility="private")
    component = published_component(space, admin_a, "proposals", "Idées privées")
    _proposal(component, "Idée d'un membre")
    assert client_a.get(component.get_absolute_url()).status_code == 404
    client_a.force_login(user_a)
    assert client_a.get(component.get_absolute_url()).status_code == 404
    do_grant_role(space=space, user=admin_a, person=user_a, role=SpaceRole.Role.MEMBER)
    assert [m[2] for m in _markers(client_a.get(component.get_absolute_url()))] == ["Idée d'un membre"]


def test_meeting_and_project_markers(org_a, admin_a, client_a):
    space = published_space(org_a, admin_a)
    meetings = published_component(space, admin_a, "meetings", "Réunions")
    start = timezone.now() + datetime.timedelta(days=2)
    common = {"component": meetings, "start_time": start, "end_time": start + datetime.timedelta(hours=1)}
    place = {"address": "Mairie", "latitude": 47.47, "longitude": -0.55}
    Meeting.objects.create(title="Publiée", published_at=timezone.now(), **common, **place)
    Meeting.objects.create(title="Pas publiée", **common, **place)
    Meeting.objects.create(title="Masquée", published_at=start, hidden_at=start, **common, **place)
    Meeting.objects.create(title="En ligne", kind="online", published_at=start, **common, **place)
    assert [m[2] for m in _markers(client_a.get(meetings.get_absolute_url()))] == ["Publiée"]

    budgets = published_component(space, admin_a, "budgets", "Budget")
    budget = Budget.objects.create(component=budgets, title="Toute la ville", total=100_000)
    Project.objects.create(budget=budget, title="Des arbres", amount=10, **place)
    Project.objects.create(budget=budget, title="Sans lieu", amount=10)
    page = client_a.get(budget.get_absolute_url())
    assert [m[2] for m in _markers(page)] == ["Des arbres"]
    assert 'id="project-list"' in page.content.decode()


def test_the_map_costs_the_same_queries_for_few_or_many_markers(org_a, proposals, client_a, user_a):
    client_a.force_login(user_a)  # logged in: rendered every time, never from the page cache
    url = proposals.get_absolute_url()
    counts = []
    for total in (2, 12):
        while Proposal.objects.filter(component=proposals).count() < total:
            _proposal(proposals, f"Proposition numéro {Proposal.objects.count()}")
        client_a.get(url)  # warms what is cached whatever the number (sessions, settings)
        with CaptureQueriesContext(connection) as queries:
            assert len(_markers(client_a.get(url, {"order": "recent"}))) == total
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_marker_numbers_are_never_localized(org_a, proposals, client_a):
    _proposal(proposals, "Au centre", latitude=47.4715512, longitude=-0.5514634)
    client_a.cookies["django_language"] = "fr"
    page = client_a.get(proposals.get_absolute_url()).content.decode()
    raw = MAP_DATA.search(page).group(1)
    assert "47.471551" in raw and "-0.551463" in raw and "47,47" not in raw
    assert json.loads(raw)["markers"][0][:2] == [47.471551, -0.551463]


def test_without_a_located_item_there_is_no_map(org_a, proposals, client_a):
    _proposal(proposals, "Sans adresse", located=False)
    page = client_a.get(proposals.get_absolute_url()).content.decode()
    assert "map-data" not in page and "leaflet" not in page
    assert "Sans adresse" in page


# --- Settings and the Content-Security-Policy ----------------------------------------


def _img_src(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directive = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    return directive.split()[1:]


def test_the_csp_allows_the_organizations_tile_host_for_images_only(org_a, org_b, client_a, client_b):
    assert _img_src(client_a.get("/")) == ["'self'", "data:", "https://tile.openstreetmap.org"]
    org_a.map_tiles = "https://{s}.tiles.example.fr:8443/{z}/{x}/{y}.png"
    org_a.save()
    assert _img_src(client_a.get("/"))[2:] == [
        "https://a.tiles.example.fr:8443",
        "https://b.tiles.example.fr:8443",
        "https://c.tiles.example.fr:8443",
    ]
    assert "tiles.example.fr" not in client_b.get("/")["Content-Security-Policy"]
    policy = client_a.get("/")["Content-Security-Policy"]
    assert "connect-src" not in policy
    assert "script-src 'self';" in policy or policy.endswith("script-src 'self'")


def test_admins_set_the_map_and_geocoder(org_a, admin_a, client_a, settings):
    settings.CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES = False
    client_a.force_login(admin_a)
    page = client_a.get("/admin/settings/").content.decode()
    assert "<legend>Cartes</legend>" in page and "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    data = {
        "name": org_a.name,
        "default_locale": "fr",
        "available_locales": ["fr", "en"],
        "primary_colour": org_a.primary_colour,
        "secondary_colour": org_a.secondary_colour,
        "report_threshold": "3",
        "map_tiles": "https://tiles.example.fr/{z}/{x}/{y}.png",
        "map_attribution": "© Les contributeurs d'OpenStreetMap, © Example",
        "map_attribution_url": "https://www.openstreetmap.org/copyright",
        "geocoder": "photon",
        "geocoder_url": "http://127.0.0.1:2322",
    }
    response = client_a.post("/admin/settings/", data)
    assert "Ce serveur est sur un réseau privé" in response.content.decode()
    response = client_a.post("/admin/settings/", {**data, "map_tiles": "https://tiles.example.fr/{z}.png"})
    assert "{z}, {x} et {y} désignent" in response.content.decode()
    response = client_a.post("/admin/settings/", {**data, "geocoder_url": "https://photon.example.fr"})
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.geocoder, org_a.geocoder_url) == ("photon", "https://photon.example.fr")
    assert org_a.map_tile_origins == ["https://tiles.example.fr"]
    entry = org_a.action_log.filter(action="organization.update").latest("pk")
    assert (entry.before["geocoder"], entry.after["geocoder"]) == ("ban", "photon")


def _home_map_block(organization, admin):
    from civitas.homepage.models import HomeBlock
    from civitas.maps.home import MapBlockForm

    block = HomeBlock(organization=organization, kind="map")
    form = MapBlockForm({"title": "", "listed": "6"}, block=block, organization=organization)
    assert form.is_valid(), form.errors
    from civitas.homepage.services import do_add_block

    return do_add_block(organization=organization, user=admin, form=form)


def test_the_home_map_shows_what_the_visitor_may_see_in_a_fixed_number_of_queries(
    org_a, org_b, admin_a, proposals, client_a, user_a
):
    _home_map_block(org_a, admin_a)
    shown = _proposal(proposals, "Sur la place")
    _proposal(proposals, "Masquée", hidden_at=timezone.now())
    _proposal(proposals, "Retirée", state=Proposal.State.WITHDRAWN, withdrawn_at=timezone.now())
    _proposal(proposals, "Brouillon", published_at=None)
    private = published_component(
        published_space(org_a, admin_a, "Assemblée privée", visibility="private"),
        admin_a,
        "proposals",
        "Idées",
    )
    _proposal(private, "Idée d'un membre")
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    elsewhere = published_component(published_space(org_b, admin_b), admin_b, "proposals", "Ailleurs")
    _proposal(elsewhere, "Dans une autre commune")

    page = client_a.get("/")
    assert [marker[2:] for marker in _markers(page)] == [["Sur la place", shown.get_absolute_url()]]
    # OpenStreetMap's credit in the reader's language.
    assert json.loads(MAP_DATA.search(page.content.decode()).group(1))["attribution"] == (
        "© les contributeurs d’OpenStreetMap"
    )
    # Under the map, the same places as links: the map is never the only way to them.
    assert f'href="{shown.get_absolute_url()}"' in page.content.decode()
    client_a.force_login(user_a)
    do_grant_role(space=private.space, user=admin_a, person=user_a, role=SpaceRole.Role.MEMBER)
    client_a.get("/")
    with CaptureQueriesContext(connection) as few:
        titles = sorted(m[2] for m in _markers(client_a.get("/")))
    assert titles == ["Idée d'un membre", "Sur la place"]
    for index in range(6):
        _proposal(proposals, f"Encore une idée {index}")
    with CaptureQueriesContext(connection) as many:
        assert len(_markers(client_a.get("/"))) == 8
    assert len(many) == len(few)
