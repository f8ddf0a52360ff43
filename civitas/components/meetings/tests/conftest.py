import datetime

import pytest
from django.utils import timezone

from civitas.components.meetings.models import Meeting
from civitas.testing.participation import published_component, published_space


@pytest.fixture
def meetings_component(org_a, admin_a, django_capture_on_commit_callbacks):
    # Committed (callbacks run) so that later commits in a test start a fresh batch of
    # search-index updates.
    with django_capture_on_commit_callbacks(execute=True):
        space = published_space(org_a, admin_a, "Budget participatif")
        return published_component(space, admin_a, "meetings", "Réunions")


def make_meeting(component, **fields):
    start = timezone.now() + datetime.timedelta(days=7)
    values = {
        "title": "Réunion publique",
        "kind": Meeting.Kind.IN_PERSON,
        "address": "Salle des fêtes, 1 place de la Mairie",
        "start_time": start,
        "end_time": start + datetime.timedelta(hours=2),
        "published_at": timezone.now(),
        "registrations_enabled": True,
        "capacity": 0,
    }
    values.update(fields)
    return Meeting.objects.create(component=component, **values)


@pytest.fixture
def meeting(meetings_component):
    return make_meeting(meetings_component, capacity=2)
