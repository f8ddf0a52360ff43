"""Fifty identical signatures posted at once store one (run it on PostgreSQL too)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from civitas.components.petitions.models import Signature

THREADS = 50


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_posts_store_one_signature(org_a, make_petition, signer):
    petition = make_petition()
    person = signer()
    barrier = threading.Barrier(THREADS)
    statuses = []

    def post():
        client = Client(HTTP_HOST=org_a.host)
        client.force_login(person)
        try:
            barrier.wait()
            response = client.post(f"{petition.get_absolute_url()}sign/", {"confirm": "1"})
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One receipt page (200); every other request is told the person already signed (302 back).
    assert sorted(statuses) == [200] + [302] * (THREADS - 1), statuses
    assert Signature.objects.filter(petition=petition).count() == 1
    assert petition.counts()["total"] == 1
