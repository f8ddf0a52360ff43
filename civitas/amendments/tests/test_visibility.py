"""Who sees an amendment: the component's visibility option and moderation, everywhere it shows."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civitas.amendments import services
from civitas.amendments.models import Amendment
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.opendata import export
from civitas.search.indexing import rebuild
from civitas.search.queries import search
from civitas.stats.services import action_totals
from civitas.testing.factories import UserFactory
from civitas.versions.services import latest_version

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Kiosquorama fontainerie"


def _client(world, user=None):
    client = Client(HTTP_HOST=world.org.host)
    if user is not None:
        client.force_login(user)
    return client


def _amend(world, user=None, words=SECRET_WORDS):
    return services.do_create(
        user=user or world.amender,
        target=world.proposal,
        fields={"title": f"Des bancs et {words}", "body": f"<p>Douze bancs, {words}.</p>"},
        base_version=latest_version(world.proposal).number,
    )


def _found(world, user) -> bool:
    result = search(user=user, organization=world.org, query="Kiosquorama")
    return any("/amendments/" in hit.document.url for hit in result.hits)


def _in_open_data(world) -> bool:
    name, _counts, _size = export.build_archive(world.org)
    archive = zipfile.ZipFile(io.BytesIO(default_storage.open(name).read()))
    return any("Kiosquorama" in archive.read(member).decode() for member in archive.namelist())


def test_everyone_sees_amendments_when_the_component_shows_them_all(world):
    amendment = _amend(world)
    rebuild()
    anonymous = _client(world)
    assert amendment.get_absolute_url() in anonymous.get(world.proposal.get_absolute_url()).content.decode()
    assert anonymous.get(amendment.get_absolute_url()).status_code == 200
    from django.contrib.auth.models import AnonymousUser

    assert _found(world, AnonymousUser())


def test_participants_only_amendments_are_absent_for_everyone_else(world, org_b, on_commit):
    world.configure(settings={"amendments_visibility": "participants"})
    with on_commit():
        amendment = _amend(world)
    rebuild()
    url = amendment.get_absolute_url()
    history = f"/history/amendments.amendment/{amendment.pk}/"
    outsiders = {
        "anonymous": _client(world),
        "participant": _client(world, world.participant),
        "other_organization": _client(world, UserFactory(organization=org_b)),
    }
    for role, client in outsiders.items():
        page = client.get(world.proposal.get_absolute_url()).content.decode()
        assert url not in page and SECRET_WORDS not in page, role
        assert client.get(url).status_code == 404, role
        assert client.get(history).status_code == 404, role
        assert client.post(f"{url}support/").status_code in (302, 404), role
    assert amendment.supports.count() == 0
    for insider in (world.amender, world.author, world.space_admin):
        client = _client(world, insider)
        assert url in client.get(world.proposal.get_absolute_url()).content.decode()
        assert client.get(url).status_code == 200
    assert not _found(world, world.participant) and not _found(world, world.author)
    assert not _in_open_data(world)
    api = _client(world).get(reverse("api:proposal_detail", kwargs={"proposal_id": world.proposal.pk}))
    assert SECRET_WORDS not in api.content.decode()
    # An amendment is a participation, whoever may read it: it counts in the statistics.
    totals = {total.key: total.count for total in action_totals(world.org)}
    assert totals["amendment"] == 1


def test_a_hidden_amendment_and_its_history_stay_hidden(world):
    amendment = _amend(world)
    do_report(user=world.participant, resource=amendment, reason="spam")
    do_hide(moderator=world.admin, moderation=Moderation.objects.get(object_id=amendment.pk), reason="spam")
    rebuild()
    history = f"/history/amendments.amendment/{amendment.pk}/"
    for user in (None, world.participant, world.author):
        client = _client(world, user)
        assert client.get(amendment.get_absolute_url()).status_code == 404
        assert client.get(history).status_code == 404
        assert (
            amendment.get_absolute_url() not in client.get(world.proposal.get_absolute_url()).content.decode()
        )
    for user in (world.amender, world.space_admin):
        assert _client(world, user).get(history).status_code == 200
    assert not _found(world, world.participant)
    with pytest.raises(services.AmendmentError):
        services.do_accept(amendment=amendment, user=world.author)
    assert "amendment" not in {total.key for total in action_totals(world.org) if total.count}


def test_the_proposal_page_costs_the_same_queries_with_many_amendments(world):
    client = _client(world, world.participant)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(world.proposal.get_absolute_url()).status_code == 200
        return len(captured)

    _amend(world, words="un")
    queries()  # the first request fills the caches of the organization, the space, the terms…
    few = queries()
    amenders = [UserFactory(organization=world.org) for _ in range(12)]
    for number, amender in enumerate(amenders):
        amendment = _amend(world, amender, words=f"mot{number}")
        services.do_support(amendment=amendment, user=world.participant)
    many = queries()
    assert many == few
    assert Amendment.objects.count() == 13
