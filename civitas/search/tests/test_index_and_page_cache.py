"""Writing the search index leaves the space's page cache alone: index entries are not on
any component's page. Each entry save used to bump every component of its space, which
emptied their cached pages and locked their rows: two task consumers reindexing one space
deadlocked on them (issue 21's several-machines harness)."""

import pytest

from civitas.components.models import Component
from civitas.components.proposals import services as proposals
from civitas.search.indexing import rebuild, reindex_component
from civitas.search.models import IndexEntry
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


def _versions(space) -> dict[int, int]:
    return dict(Component.objects.filter(space=space).values_list("pk", "content_version"))


def test_reindexing_does_not_touch_the_components_page_versions(
    org_a, admin_a, participant, public_space, public_proposals, indexed
):
    published_component(public_space, admin_a, "pages", "Règlement")
    with indexed():
        draft = proposals.do_create_draft(
            user=participant,
            component=public_proposals,
            title="Des bancs au parc",
            body="Pour s'asseoir à l'ombre.",
        )
        proposals.do_publish(proposal=draft, user=participant)
    assert IndexEntry.objects.filter(resource_type="proposal", object_id=draft.pk).exists()
    before = _versions(public_space)

    reindex_component(public_proposals.pk)
    rebuild(org_a)
    assert _versions(public_space) == before

    # A real change still reaches the pages: the check above can fail.
    with indexed():
        proposals.do_withdraw(proposal=draft, user=participant)
    assert _versions(public_space)[public_proposals.pk] > before[public_proposals.pk]
