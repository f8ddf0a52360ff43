"""Backups of a whole installation: the database and the uploaded files, in one archive.

The database is copied with each engine's own tool, so that everything survives exactly
(sequences, constraints, the triggers that freeze closed ballot boxes): SQLite's online
backup API, which gives a consistent snapshot while the platform keeps running, and
``pg_dump`` / ``pg_restore`` for PostgreSQL. Uploaded files are read through the storage
API, so any storage backend works. ``manifest.json`` records the row count of every
table; a restore checks them, so a truncated or mixed-up archive is refused loudly.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """Something prevents a faithful backup or restore; nothing was changed."""


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in existing and table not in counts and not model._meta.proxy:
                # Table names come from the models, quoted by the backend.
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def _media_names(directory: str = "") -> list[str]:
    try:
        folders, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = [f"{directory}{name}" for name in files]
    for folder in folders:
        names += _media_names(f"{directory}{folder}/")
    return sorted(names)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


def _pg_environment(settings: dict) -> tuple[list[str], dict]:
    arguments = ["--host", settings.get("HOST") or "localhost", "--port", str(settings.get("PORT") or 5432)]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    environment = {**os.environ}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = settings["PASSWORD"]
    return arguments, environment


def create_backup(destination: Path) -> dict:
    """Write the archive to ``destination``; returns its manifest."""
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": vendor,
        "tables": table_counts(),
    }
    media = _media_names()
    manifest["media_files"] = len(media)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / "database"
        if vendor == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
        else:
            settings = connection.settings_dict
            arguments, environment = _pg_environment(settings)
            # A fixed argument list, no shell: the PostgreSQL client tools on the PATH.
            result = subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(dump),
                    *arguments,
                    settings["NAME"],
                ],
                env=environment,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            archive.add(dump, arcname=SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER)
            for name in media:
                with default_storage.open(name) as handle:
                    _add_bytes(archive, MEDIA_PREFIX + name, handle.read())
        # Only a complete archive ever carries the final name.
        partial.replace(destination)
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        with tarfile.open(source, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.loads(member.read()) if member else None
    except (OSError, tarfile.TarError, KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"{source} is not a Civitas backup: {error}") from error
    if not manifest or manifest.get("format") != FORMAT:
        raise BackupError(f"{source} is not a Civitas backup of format {FORMAT}.")
    return manifest


def restore_backup(source: Path) -> dict:
    """Replace the database and the uploaded files with the archive's; returns its manifest."""
    manifest = read_manifest(source)
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"This archive holds a {manifest['database']} database; this installation runs on {vendor}."
        )
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
        try:
            archive.extract(member, work, filter="data")
        except KeyError as error:
            raise BackupError(f"{source} has no database copy.") from error
        dump = Path(work) / member
        connections.close_all()
        if vendor == "sqlite":
            snapshot = sqlite3.connect(dump)
            connection.ensure_connection()
            with snapshot:
                snapshot.backup(connection.connection)
            snapshot.close()
        else:
            settings = connection.settings_dict
            arguments, environment = _pg_environment(settings)
            result = subprocess.run(  # noqa: S603
                [  # noqa: S607
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    settings["NAME"],
                    *arguments,
                    str(dump),
                ],
                env=environment,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        for name in _media_names():
            default_storage.delete(name)
        for member_info in archive.getmembers():
            if member_info.isfile() and member_info.name.startswith(MEDIA_PREFIX):
                name = member_info.name.removeprefix(MEDIA_PREFIX)
                if ".." in Path(name).parts or name.startswith("/"):
                    raise BackupError(f"Refusing the unsafe file name {member_info.name!r}.")
                handle = archive.extractfile(member_info)
                default_storage.save(name, ContentFile(handle.read()))
    restored = table_counts()
    expected = manifest["tables"]
    different = {
        table: (expected.get(table), restored.get(table))
        for table in expected
        if expected.get(table) != restored.get(table)
    }
    if different:
        raise BackupError(f"The restored tables do not match the archive: {different}")
    return manifest
