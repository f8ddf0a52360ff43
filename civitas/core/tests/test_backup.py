"""Backup and restore round trips, on whichever database the suite runs."""

import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from civitas.core.backup import BackupError, create_backup, restore_backup, table_counts
from civitas.organizations.models import Organization
from civitas.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation():
    organization = OrganizationFactory(name="Ville de Sauvegarde", host="sauvegarde.test")
    people = [UserFactory(organization=organization) for _ in range(5)]
    default_storage.save("logos/sauvegarde.png", ContentFile(b"\x89PNG fake logo bytes"))
    yield organization, people
    for name in ("logos/sauvegarde.png", "logos/after.png"):
        if default_storage.exists(name):
            default_storage.delete(name)


def test_a_restore_brings_back_exactly_what_was_saved(installation, tmp_path):
    organization, people = installation
    before = table_counts()
    archive = tmp_path / "backup.tar.gz"
    manifest = create_backup(archive)
    assert manifest["tables"] == before
    assert manifest["media_files"] >= 1

    # Life goes on after the backup: people leave, others arrive, files change.
    people[0].delete()
    UserFactory(organization=organization)
    organization.name = "Renamed"
    organization.save()
    default_storage.delete("logos/sauvegarde.png")
    default_storage.save("logos/after.png", ContentFile(b"later"))

    restore_backup(archive)
    assert table_counts() == before
    assert Organization.objects.get(pk=organization.pk).name == "Ville de Sauvegarde"
    with default_storage.open("logos/sauvegarde.png") as handle:
        assert handle.read() == b"\x89PNG fake logo bytes"
    assert not default_storage.exists("logos/after.png")


def test_a_file_that_is_not_a_backup_changes_nothing(installation, tmp_path):
    before = table_counts()
    bogus = tmp_path / "holiday.tar.gz"
    bogus.write_bytes(b"not an archive at all")
    with pytest.raises(BackupError, match="not a Civitas backup"):
        restore_backup(bogus)
    assert table_counts() == before


def test_an_archive_of_the_other_database_engine_is_refused(installation, tmp_path):
    from django.db import connection

    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "other.tar.gz"
    manifest = json.dumps({"format": 1, "database": other, "tables": {}, "media_files": 0}).encode()
    with tarfile.open(archive, "w:gz") as handle:
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        handle.addfile(info, io.BytesIO(manifest))
    before = table_counts()
    with pytest.raises(BackupError, match=f"holds a {other} database"):
        restore_backup(archive)
    assert table_counts() == before


def test_the_commands_round_trip_and_ask_before_replacing(installation, tmp_path, monkeypatch):
    organization, _people = installation
    archive = tmp_path / "cmd.tar.gz"
    out = io.StringIO()
    call_command("backup", output=str(archive), stdout=out)
    assert "Backup written to" in out.getvalue()
    UserFactory(organization=organization)
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("restore", str(archive))
    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "every table count matches" in out.getvalue()
    with pytest.raises(CommandError, match="No such archive"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), yes=True)
