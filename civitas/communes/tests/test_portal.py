"""A metropolis's portal shows its communes' public spaces, and never more than they publish."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civitas.communes.home import communes_spaces
from civitas.spaces.services import do_create_space
from civitas.testing.factories import OrganizationFactory, UserFactory
from civitas.testing.participation import published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def metropolis():
    metro = OrganizationFactory(name="Métropole du Lac", host="metropole.test")
    belle = OrganizationFactory(name="Belle-Rive", host="belle-rive.test", parent=metro)
    clair = OrganizationFactory(name="Clairval", host="clairval.test", parent=metro)
    elsewhere = OrganizationFactory(name="Ailleurs", host="ailleurs.test")
    admins = {
        org: UserFactory(organization=org, is_organization_admin=True)
        for org in (metro, belle, clair, elsewhere)
    }
    published_space(belle, admins[belle], "Budget de Belle-Rive")
    published_space(belle, admins[belle], "Conseil secret", visibility="private")
    do_create_space(organization=belle, user=admins[belle], kind="process", title="Brouillon de Belle-Rive")
    published_space(clair, admins[clair], "Conseil de Clairval", visibility="transparent")
    published_space(elsewhere, admins[elsewhere], "Budget d’Ailleurs")
    return {"metro": metro, "belle": belle, "clair": clair, "elsewhere": elsewhere, "admins": admins}


def _portal(query=""):
    return Client(HTTP_HOST="metropole.test").get(f"/communes/{query}")


def test_the_portal_lists_the_communes_public_spaces_and_links_to_their_sites(metropolis):
    response = _portal()
    page = response.content.decode()
    assert "Budget de Belle-Rive" in page and "Conseil de Clairval" in page
    for unseen in ("Conseil secret", "Brouillon de Belle-Rive", "Budget d’Ailleurs"):
        assert unseen not in page
    assert 'href="http://belle-rive.test' in page  # the commune's own site serves the space
    assert "belle-rive.test" in response["Content-Security-Policy"].split("img-src")[1].split(";")[0]


def test_search_and_filter_by_commune(metropolis):
    page = _portal("?q=budget").content.decode()
    assert "Budget de Belle-Rive" in page and "Conseil de Clairval" not in page
    page = _portal(f"?commune={metropolis['clair'].pk}").content.decode()
    assert "Conseil de Clairval" in page and "Budget de Belle-Rive" not in page
    # A private space is not found by its name either.
    assert "Conseil secret" not in _portal("?q=secret").content.decode()


def test_only_a_parent_has_a_portal(metropolis):
    assert Client(HTTP_HOST="belle-rive.test").get("/communes/").status_code == 404
    assert Client(HTTP_HOST="ailleurs.test").get("/communes/").status_code == 404


def test_the_portal_costs_the_same_queries_with_more_spaces(metropolis):
    _portal()  # the organization and the site's settings are cached from the first request on
    with CaptureQueriesContext(connection) as few:
        assert _portal().status_code == 200
    for number in range(6):
        published_space(metropolis["clair"], metropolis["admins"][metropolis["clair"]], f"Quartier {number}")
    with CaptureQueriesContext(connection) as more:
        assert _portal().status_code == 200
    assert len(more) == len(few)


def test_one_level_of_parents_and_never_oneself(metropolis):
    metro, belle = metropolis["metro"], metropolis["belle"]
    metro.parent = metro
    with pytest.raises(ValidationError):
        metro.full_clean()
    metro.parent = metropolis["elsewhere"]
    with pytest.raises(ValidationError):  # it has communes of its own
        metro.full_clean()
    metropolis["elsewhere"].parent = belle
    with pytest.raises(ValidationError):  # Belle-Rive is itself a commune
        metropolis["elsewhere"].full_clean()


def test_the_metropolis_statistics_add_up_its_communes(metropolis):
    page = Client(HTTP_HOST="metropole.test").get("/stats/").content.decode()
    assert "Avec les communes" in page or "With the communes" in page
    assert "Belle-Rive" in page and "Clairval" in page and "Ailleurs" not in page
    assert 'href="http://belle-rive.test' in page
    assert "communes" not in Client(HTTP_HOST="ailleurs.test").get("/stats/").content.decode().lower()


def test_the_home_block_shows_only_public_spaces_of_the_communes(metropolis, rf):
    request = rf.get("/")
    request.organization = metropolis["metro"]
    block = type("Block", (), {"settings": {"count": 10}})()
    titles = [space.title for space in communes_spaces(request, block)["spaces"]]
    assert titles == ["Budget de Belle-Rive", "Conseil de Clairval"]
    request.organization = metropolis["elsewhere"]
    assert communes_spaces(request, block) is None


def test_a_commune_admin_reaches_nothing_of_another_commune(metropolis):
    belle_admin = metropolis["admins"][metropolis["belle"]]
    clair_space = metropolis["clair"].spaces.get()
    client = Client(HTTP_HOST="belle-rive.test")
    client.force_login(belle_admin)
    assert client.get(f"/admin/spaces/{clair_space.pk}/").status_code in (403, 404)
    assert client.get(f"/spaces/{clair_space.slug}/").status_code == 404
