"""A rebuild in several processes writes the same index as one in this process."""

import pytest
from django.contrib.auth import get_user_model

from civitas.comments.services import do_add_comment
from civitas.components.proposals import services as proposals
from civitas.search import rebuilding
from civitas.search.indexing import rebuild
from civitas.search.models import IndexEntry
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

# Forked workers read what this process committed: no test transaction around them.
pytestmark = pytest.mark.django_db(transaction=True)

FIELDS = (
    "resource_type",
    "object_id",
    "organization_id",
    "space_id",
    "title",
    "excerpt",
    "url",
    "title_terms",
    "body_terms",
    "space_published",
    "space_private",
    "hidden",
    "author_id",
    "date",
)


def _entries(organization) -> list[tuple]:
    return sorted(IndexEntry.objects.filter(organization=organization).values_list(*FIELDS))


def _contributions(organization, admin, count: int) -> None:
    space = published_space(organization, admin, "Budget participatif")
    component = published_component(space, admin, "proposals", "Idées", creation_enabled=True)
    for number in range(count):
        author = UserFactory(organization=organization, name=f"Habitante {number}")
        proposal = proposals.do_create_draft(
            user=author,
            component=component,
            title=f"Des bancs place numéro {number}",
            body="Des bancs à l'ombre des platanes, pour que chacun puisse s'asseoir.",
        )
        proposals.do_publish(proposal=proposal, user=author)
        do_add_comment(user=admin, resource=proposal, body=f"Réponse de la mairie au banc {number}.")


def test_workers_write_the_same_entries_and_leave_other_organizations_alone(
    org_a, org_b, admin_a, monkeypatch
):
    admin_b = UserFactory(organization=org_b, is_organization_admin=True)
    _contributions(org_a, admin_a, 7)
    _contributions(org_b, admin_b, 2)
    assert rebuild(org_a, workers=1) > 20
    expected, other = _entries(org_a), _entries(org_b)

    IndexEntry.objects.filter(organization=org_a, resource_type="comment").delete()
    IndexEntry.objects.filter(organization=org_a, resource_type="proposal").update(title_terms="perime")
    ranges = []

    def spied_ranges(objects, size):
        found = original_ranges(objects, size)
        ranges.append(found)
        return found

    original_ranges = rebuilding.id_ranges
    monkeypatch.setattr(rebuilding, "id_ranges", spied_ranges)
    monkeypatch.setattr(rebuilding, "TASK_SIZE", 2)  # several tasks per resource type

    assert rebuild(org_a, workers=2) == len(expected)
    assert _entries(org_a) == expected
    assert _entries(org_b) == other
    assert max(len(found) for found in ranges) >= 4


def test_id_ranges_cover_every_id_once_and_stay_open_at_both_ends(org_a):
    UserFactory.create_batch(7, organization=org_a)
    users = get_user_model().objects.filter(organization=org_a)
    ids = sorted(users.values_list("pk", flat=True))
    ranges = rebuilding.id_ranges(users, 3)
    assert ranges[0][0] is None and ranges[-1][1] is None
    covered = [
        pk for pk in ids for low, high in ranges if (low is None or pk >= low) and (high is None or pk < high)
    ]
    assert covered == ids
    assert len(ranges) == -(-len(ids) // 3)
