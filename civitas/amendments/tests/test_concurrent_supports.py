"""Two requests supporting the same amendment at once, from the same person: one support."""

import threading

import pytest
from django.db import connection

from civitas.amendments import services
from civitas.amendments.models import Amendment, AmendmentSupport
from civitas.versions.services import latest_version

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_supports_count_once(world):
    amendment = services.do_create(
        user=world.amender,
        target=world.proposal,
        fields={"title": "Des bancs et une fontaine", "body": "<p>Douze bancs et une fontaine.</p>"},
        base_version=latest_version(world.proposal).number,
    )
    start, outcomes = threading.Barrier(4), []

    def support():
        start.wait()
        try:
            services.do_support(amendment=amendment, user=world.participant)
            outcomes.append("supported")
        except services.AmendmentError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=support) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "refused", "refused", "supported"]
    assert AmendmentSupport.objects.filter(amendment=amendment).count() == 1
    assert Amendment.objects.get(pk=amendment.pk).support_count == 1
