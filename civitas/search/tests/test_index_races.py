"""Two indexing tasks about the same resource, side by side on two consumers: the entry
ends with the later reading, whichever task writes last.

The race is played out in one thread: the slower task's write is held back (at the moment
it builds its entry's fields) while the resource changes and a second task indexes it.
"""

import dataclasses
import datetime

import pytest

from civitas.components.proposals.models import Proposal
from civitas.search import indexing
from civitas.search.models import IndexEntry
from civitas.search.registry import searchable
from civitas.testing.participation import published_proposal

pytestmark = pytest.mark.django_db


def _held_back_while(monkeypatch, meanwhile):
    """The first entry built runs ``meanwhile`` before it is written; later ones do not."""
    build = indexing.entry_fields
    held = []

    def building(document):
        fields = build(document)
        if not held:
            held.append(document.title)
            meanwhile()
        return fields

    monkeypatch.setattr(indexing, "entry_fields", building)
    return held


def test_a_slow_task_does_not_write_its_older_reading_over_a_newer_one(
    participant, public_proposals, indexed, monkeypatch
):
    with indexed():
        proposal = published_proposal(participant, public_proposals, "Des bancs au parc")

    def renamed_and_indexed_by_another_task():
        Proposal.objects.filter(pk=proposal.pk).update(title="Des arbres au parc")
        indexing.reindex_keys([("proposal", proposal.pk)])

    held = _held_back_while(monkeypatch, renamed_and_indexed_by_another_task)
    indexing.reindex_keys([("proposal", proposal.pk)])  # read "bancs", writes after the rename
    assert held == ["Des bancs au parc"]  # the race did happen
    assert (
        IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk).title == "Des arbres au parc"
    )


def test_a_reading_that_lost_to_a_facet_change_is_read_again_not_lost(
    participant, public_proposals, indexed, monkeypatch, django_capture_on_commit_callbacks
):
    """Making a space private restamps its entries without reading them: a task that had
    read an edit just before must not drop the edit, nor make the entry public again."""
    with indexed():
        proposal = published_proposal(participant, public_proposals, "Des bancs au parc")
    Proposal.objects.filter(pk=proposal.pk).update(title="Des bancs et des arbres")
    space = public_proposals.space

    def space_made_private():
        type(space).objects.filter(pk=space.pk).update(visibility="private")
        space.refresh_from_db()
        indexing.update_space_facets(space)

    _held_back_while(monkeypatch, space_made_private)
    with django_capture_on_commit_callbacks(execute=True):
        indexing.reindex_keys([("proposal", proposal.pk)])
    entry = IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk)
    assert entry.title == "Des bancs et des arbres" and entry.space_private


def test_a_stale_reading_that_a_resource_left_the_index_does_not_remove_a_newer_entry(
    participant, public_proposals, indexed
):
    with indexed():
        proposal = published_proposal(participant, public_proposals, "Des bancs au parc")
    entry = IndexEntry.objects.get(resource_type="proposal", object_id=proposal.pk)
    # The same registration, reading the resource as one that must leave the index.
    leaving = dataclasses.replace(searchable("proposal"), document=lambda obj: None)
    indexing.index_objects(leaving, [proposal], read_at=entry.indexed_at - datetime.timedelta(seconds=1))
    assert IndexEntry.objects.filter(pk=entry.pk).exists()
    indexing.index_objects(leaving, [proposal], read_at=entry.indexed_at + datetime.timedelta(seconds=1))
    assert not IndexEntry.objects.filter(pk=entry.pk).exists()
