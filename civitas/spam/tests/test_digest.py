import datetime

import pytest
import time_machine
from django.core import mail

from civitas.spam import services
from civitas.spam.models import DigestSent
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_digest_per_admin_per_day_even_if_the_scan_runs_twice(
    org_a, org_b, admin_a, fixed_model, on_commit
):
    second_admin = UserFactory(organization=org_a, is_organization_admin=True)
    other_org_admin = UserFactory(organization=org_b, is_organization_admin=True)
    UserFactory(organization=org_a, about="p=0.995")
    UserFactory(organization=org_a, about="p=0.8")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False):
        with on_commit():
            services.scan_organization(org_a, model=fixed_model)
            assert services.send_digests(org_a) == 2
        with on_commit():
            services.scan_organization(org_a, model=fixed_model)
            assert services.send_digests(org_a) == 0
    digests = [message for message in mail.outbox if message.to[0] in {admin_a.email, second_admin.email}]
    assert sorted(message.to[0] for message in digests) == sorted([admin_a.email, second_admin.email])
    body = digests[0].body
    assert "http://commune-a.test/admin/moderation/" in body
    assert ": 2" in body and ": 1" in body  # two reported, one blocked
    assert not any(other_org_admin.email in message.to for message in mail.outbox)
    with (
        time_machine.travel(datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.UTC), tick=False),
        on_commit(),
    ):
        assert services.send_digests(org_a) == 2
    assert DigestSent.objects.count() == 4


def test_counts_are_the_days(org_a, fixed_model):
    UserFactory(organization=org_a, about="p=0.75")
    services.scan_organization(org_a, model=fixed_model)
    from django.utils import timezone

    today = timezone.localdate()
    assert services.daily_counts(org_a, today) == {"reported": 1, "blocked": 0, "held": 0}
    assert services.daily_counts(org_a, today - datetime.timedelta(days=1))["reported"] == 0
