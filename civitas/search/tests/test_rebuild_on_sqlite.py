"""On SQLite (the embedded default) a rebuild of the search index leaves the database
writable while it builds: SQLite has one writer for the whole file, and the nightly rebuild
held it for as long as it took, past the 20 s busy timeout for a large town, so a vote cast
at 3:40 could fail with "database is locked". Checked with a second connection to the real
file, as another web worker would write; and what the task queue indexed meanwhile (an edit,
a space made private) is not overwritten by the rebuild's older reading.
"""

import sqlite3

import pytest
from django.db import connection

from civitas.search import indexing
from civitas.search.models import IndexEntry
from civitas.testing.participation import published_proposal

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one writer per database file"),
    pytest.mark.django_db(transaction=True),
]


def _another_worker_can_write() -> bool:
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        other.close()


def test_the_database_stays_writable_while_the_index_is_rebuilt(
    org_a, participant, public_proposals, indexed, monkeypatch
):
    with indexed():
        for number in range(3):
            published_proposal(participant, public_proposals, f"Idée {number}")
    writable = []
    build = indexing._document_rows

    def building(entry, objects):
        writable.append(_another_worker_can_write())
        return build(entry, objects)

    monkeypatch.setattr(indexing, "_document_rows", building)
    indexing.rebuild()
    assert writable, "the rebuild built no entry"
    assert all(writable)
    assert IndexEntry.objects.filter(resource_type="proposal").count() == 3


def _just_before_the_exchange(monkeypatch, change):
    exchange = indexing._exchange_stage

    def changed_then_exchanged(*args, **kwargs):
        change()
        return exchange(*args, **kwargs)

    monkeypatch.setattr(indexing, "_exchange_stage", changed_then_exchanged)


def test_an_entry_the_queue_rewrote_during_the_rebuild_is_kept(
    org_a, participant, public_proposals, indexed, monkeypatch
):
    with indexed():
        proposal = published_proposal(participant, public_proposals, "Une halle couverte")

    def edited_and_reindexed():
        type(proposal).objects.filter(pk=proposal.pk).update(title="Un marché couvert")
        indexing.reindex_keys([("proposal", proposal.pk)])  # what the queue's task runs

    _just_before_the_exchange(monkeypatch, edited_and_reindexed)
    indexing.rebuild()
    entry = IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk)
    assert entry.title == "Un marché couvert"
    # And it is the newest entry, as without a rebuild: search takes the newest ids as the
    # most recent matches of a frequent word.
    assert entry.pk == IndexEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert IndexEntry.objects.filter(resource_type="proposal", object_id=proposal.pk).count() == 1


def test_a_space_made_private_during_the_rebuild_stays_private_in_the_index(
    org_a, participant, public_space, public_proposals, indexed, monkeypatch
):
    with indexed():
        proposal = published_proposal(participant, public_proposals, "Une halle couverte")

    def made_private():
        type(public_space).objects.filter(pk=public_space.pk).update(visibility="private")
        public_space.refresh_from_db()
        indexing.update_space_facets(public_space)

    _just_before_the_exchange(monkeypatch, made_private)
    indexing.rebuild()
    assert IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk).space_private
    assert not IndexEntry.objects.filter(space=public_space, space_private=False).exists()
