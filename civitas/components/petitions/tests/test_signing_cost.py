"""What one signing request costs the database, and that the count it shows is right
(run it on PostgreSQL too: signing there is one statement)."""

import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from civitas.components.petitions.models import SignatureCounter

pytestmark = pytest.mark.django_db

# Per request: session, account (with its organization, its unread notifications and whether
# it holds a space role), component (with whether it requires verifications), petition, the
# signature (one statement on PostgreSQL).
STATEMENTS_ON_POSTGRESQL = 5


def _sign(org_a, petition, person):
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(person)
    # Warms what a running platform keeps cached for the organization (the terms in force,
    # whether it has help pages): the first request after a restart, not a signing's cost.
    client.get(petition.get_absolute_url())
    url = f"{petition.get_absolute_url()}sign/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {"confirm": "1"})
    assert response.status_code == 200 and response.context["receipt_code"]
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_receipt_shows_the_count_with_this_signature_and_the_paper_ones(org_a, make_petition, signer):
    petition = make_petition()
    SignatureCounter.objects.filter(petition=petition, shard__in=[2, 7]).update(
        online=F("online") + 40, paper=F("paper") + 3
    )
    response, _statements = _sign(org_a, petition, signer())
    assert response.context["counts"] == {"online": 81, "paper": 6, "total": 87} == petition.counts()
    assert "87" in response.content.decode()


def test_a_signing_request_reads_the_counter_shards_once(org_a, make_petition, signer):
    petition = make_petition()
    _response, statements = _sign(org_a, petition, signer())
    reads = [sql for sql in statements if "petitions_signaturecounter" in sql and "SUM(" in sql.upper()]
    assert len(reads) == 1, reads


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement signature is PostgreSQL's")
def test_a_signing_request_costs_postgresql_five_statements(org_a, make_petition, signer):
    petition = make_petition()
    _response, statements = _sign(org_a, petition, signer())
    # The test's own transaction makes the signature a savepoint: not a cost of the request.
    statements = [sql for sql in statements if "SAVEPOINT" not in sql]
    assert len(statements) == STATEMENTS_ON_POSTGRESQL, "\n".join(statements)
