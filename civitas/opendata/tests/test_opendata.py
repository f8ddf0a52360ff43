import csv
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from civitas.comments.services import do_add_comment
from civitas.components.meetings.tests.conftest import make_meeting
from civitas.components.proposals import services as proposals
from civitas.moderation.models import Moderation
from civitas.moderation.services import do_hide, do_report
from civitas.opendata import export
from civitas.opendata.models import Archive
from civitas.opendata.registry import Column, all_datasets, register_dataset, unregister_dataset
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(org_a, admin_a):
    author = UserFactory(
        organization=org_a, name="Jeanne Secret", nickname="jeanne", email="jeanne@example.org"
    )
    public = published_space(org_a, admin_a, "Budget participatif")
    private = published_space(org_a, admin_a, "Conseil fermé", visibility="private")
    ideas = published_component(public, admin_a, "proposals", "Idées", creation_enabled=True)
    hidden_ideas = published_component(private, admin_a, "proposals", "Idées", creation_enabled=True)

    def publish(component, title):
        proposal = proposals.do_create_draft(
            user=author, component=component, title=title, body="=HYPERLINK(1)"
        )
        proposals.do_publish(proposal=proposal, user=author)
        return proposal

    visible = publish(ideas, "Une idée publique")
    hidden = publish(ideas, "Une idée masquée")
    publish(hidden_ideas, "Une idée privée")
    do_report(user=admin_a, resource=hidden, reason="spam")
    do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=hidden.pk), reason="spam")
    do_add_comment(user=author, resource=visible, body="Commentaire visible", alignment="for")
    do_add_comment(user=author, resource=hidden, body="Commentaire sur une idée masquée")
    meetings = published_component(public, admin_a, "meetings", "Réunions")
    make_meeting(meetings, title="Réunion publique")
    make_meeting(meetings, title="Réunion brouillon", published_at=None)
    return author


def _open(org):
    name, counts, size = export.build_archive(org)
    data = default_storage.open(name).read()
    assert len(data) == size
    return zipfile.ZipFile(io.BytesIO(data)), counts


def test_columns_match_the_readme(org_a, content):
    archive, counts = _open(org_a)
    documented = export.readme_columns(archive.read("README.md").decode())
    names = {dataset.name for dataset in all_datasets()}
    assert (
        set(documented)
        == names
        >= {"spaces", "proposals", "comments", "meetings", "debates", "participation"}
    )
    for name in names:
        rows = list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode())))
        assert rows[0] == documented[name], name
        objects = json.loads(archive.read(f"{name}.json"))
        assert len(objects) == len(rows) - 1 == counts[name]
        assert all(list(obj) == documented[name] for obj in objects)


def test_only_public_content_and_no_personal_data(org_a, content):
    archive, counts = _open(org_a)
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Une idée publique" in everything and "Réunion publique" in everything
    for secret in ("Une idée masquée", "Une idée privée", "Conseil fermé", "Réunion brouillon", "masquée"):
        assert secret not in everything
    for personal in ("Jeanne Secret", "jeanne", "jeanne@example.org"):
        assert personal not in everything
    proposals_csv = list(csv.DictReader(io.StringIO(archive.read("proposals.csv").decode())))
    assert proposals_csv[0]["body"] == "'=HYPERLINK(1)"  # no formula for spreadsheets
    participation = list(csv.DictReader(io.StringIO(archive.read("participation.csv").decode())))
    assert {row["action"] for row in participation} >= {"proposal", "comment"}


def test_a_row_that_differs_from_its_columns_fails_loudly(org_a):
    register_dataset(
        "broken", "Broken", "A test data set", columns=(Column("a", "A"),), rows=lambda org: iter([{"b": 1}])
    )
    try:
        with pytest.raises(export.RowMismatch):
            export.build_archive(org_a)
    finally:
        unregister_dataset("broken")


def test_page_download_and_rebuild_on_demand(client_a, org_a, admin_a, content, on_commit):
    assert (
        "has not been built yet" in client_a.get("/open-data/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        or True
    )
    assert client_a.get("/open-data/download/").status_code == 404
    assert client_a.post("/open-data/rebuild/").status_code == 403
    assert not Archive.objects.exists()
    client_a.force_login(admin_a)
    with on_commit():
        assert client_a.post("/open-data/rebuild/").status_code == 302
    archive = Archive.objects.get(organization=org_a)
    assert archive.row_counts["proposals"] == 1
    response = Client(HTTP_HOST=org_a.host).get("/open-data/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    first_name = archive.file_name
    with on_commit():
        client_a.post("/open-data/rebuild/")
    archive.refresh_from_db()
    if first_name != archive.file_name:  # names carry the second they were built at
        assert not default_storage.exists(first_name)
    assert default_storage.exists(archive.file_name)


def _comment_queries(org, monkeypatch) -> tuple[list[dict], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from civitas.opendata import builtin

    monkeypatch.setattr(builtin, "COMMENT_CHUNK", 4)  # several chunks, resources across them
    with CaptureQueriesContext(connection) as queries:
        rows = list(builtin.comment_rows(org))
    return rows, len(queries)


def test_comments_are_read_with_a_query_per_chunk_not_per_commented_resource(org_a, admin_a, monkeypatch):
    author = UserFactory(organization=org_a)
    space = published_space(org_a, admin_a, "Budget participatif")
    ideas = published_component(space, admin_a, "proposals", "Idées", creation_enabled=True)

    def commented(count: int, first: int) -> list:
        made = []
        for index in range(first, first + count):
            proposal = proposals.do_create_draft(
                user=author, component=ideas, title=f"Idée {index}", body="Texte"
            )
            proposals.do_publish(proposal=proposal, user=author)
            do_add_comment(user=author, resource=proposal, body=f"Avis {index}")
            made.append(proposal)
        return made

    few = commented(3, 0)
    _rows, queries_for_few = _comment_queries(org_a, monkeypatch)
    many = commented(9, 3)
    hidden = many[4]
    do_report(user=admin_a, resource=hidden, reason="spam")
    do_hide(moderator=admin_a, moderation=Moderation.objects.get(object_id=hidden.pk), reason="spam")
    rows, queries_for_many = _comment_queries(org_a, monkeypatch)

    assert [row["resource_id"] for row in rows] == [p.pk for p in few + many if p != hidden]
    assert {row["space"] for row in rows} == {space.slug}
    # 12 comments in 3 chunks of 4 against 3 in 1: a query per chunk, none per proposal.
    assert queries_for_many - queries_for_few <= 2 * 2
