"""The sealed signature list: every signature's pseudonym, day, channel and receipt hash.

Built from one snapshot of the database, streamed in pseudonym order (the record id of
the sealed file) into a file on the platform's storage, so memory stays flat whatever
the number of signatures. The file is the one ``python -m civitas.recount`` reads; its
reader refuses a pseudonym that appears twice (:mod:`civitas.sealing.seal`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from civitas.components.petitions.models import Petition, SealedList, Signature, Status, today
from civitas.components.petitions.services import reconcile_counters, stored_counts
from civitas.sealing.published import iter_published_lines

KIND = "petition"
CHUNK = 20_000
# Files of earlier snapshots kept for download beside the newest (the final list is always
# kept). A big petition's list weighs ~175 bytes a signature: 350 MB for 2,000,000, so
# nightly snapshots cannot all stay. A pruned snapshot keeps its row: its seal stays on record.
SNAPSHOT_FILES_KEPT = 3


def _snapshot(outermost: bool) -> None:
    """Counts and records read from one snapshot (PostgreSQL; SQLite's transactions are).

    Only an outermost transaction can choose its isolation; a caller that already holds
    one (a test) reads in its own.
    """
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _records(petition: Petition) -> Iterator[dict]:
    rows = (
        Signature.objects.filter(petition=petition)
        .order_by("pseudonym")
        .values_list("pseudonym", "day", "channel", "receipt_hash")
    )
    for pseudonym, day, channel, receipt in rows.iterator(chunk_size=CHUNK):
        yield {
            "id": str(pseudonym),
            "day": day.isoformat(),
            "channel": channel,
            "receipt": receipt or None,
            "payload": {},
        }


def about(petition: Petition, sealed_on) -> dict:
    space = petition.component.space
    return {
        "organization": space.organization.name,
        "space": space.title,
        "petition": petition.title,
        "petition_url": petition.get_absolute_url(),
        "deadline": petition.deadline.isoformat() if petition.deadline else "",
        "sealed_on": sealed_on.isoformat(),
        "final": bool(petition.deadline and sealed_on > petition.deadline),
    }


def do_seal_list(petition: Petition) -> SealedList:
    """Seal the list as it stands now (final once the deadline has passed)."""
    if petition.status != Status.PUBLISHED:
        raise ValueError("only a published petition has a signature list")
    sealed_on = today()
    outermost = not connection.in_atomic_block
    with transaction.atomic(), tempfile.TemporaryFile("w+b") as spool:
        _snapshot(outermost)
        counts = stored_counts(petition)
        tally = {"signatures": counts["online"] + counts["paper"], **counts}
        header_about = about(petition, sealed_on)
        last = ""
        for line in iter_published_lines(
            kind=KIND, definition={}, records=_records(petition), tally=tally, about=header_about
        ):
            spool.write(line.encode())
            last = line
        seal = json.loads(last)["seal"]
        spool.seek(0)
        path = default_storage.save(
            f"petitions/{petition.ref}/signatures-{sealed_on.isoformat()}-{seal[:12]}.jsonl", File(spool)
        )
    # Outside the read-only snapshot.
    sealed = SealedList.objects.create(
        petition=petition,
        sealed_on=sealed_on,
        final=header_about["final"],
        count=tally["signatures"],
        online=counts["online"],
        paper=counts["paper"],
        seal=seal,
        path=path,
    )
    _prune_snapshot_files(petition)
    reconcile_counters(petition)
    return sealed


def _prune_snapshot_files(petition: Petition) -> None:
    kept = SealedList.objects.filter(petition=petition, final=False).exclude(path="")
    for old in kept.order_by("-created_at", "-pk")[SNAPSHOT_FILES_KEPT:]:
        default_storage.delete(old.path)
        SealedList.objects.filter(pk=old.pk).update(path="")
