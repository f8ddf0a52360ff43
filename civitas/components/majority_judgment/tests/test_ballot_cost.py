"""What casting a majority-judgment ballot costs the database (issue 21: at most 8 queries)."""

import pytest
from django.test import Client

from civitas.components.majority_judgment.models import Candidate, Election, Participation
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space
from civitas.testing.vote_cost import (
    MOST_QUERIES_PER_VOTE,
    expected_queries,
    one_transaction,
    vote_statements,
)

# Committed for real: a server's transactions, not the savepoints of a test's own.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_ballot_costs_at_most_eight_queries(org_a, admin_a):
    component = published_component(
        published_space(org_a, admin_a),
        admin_a,
        "majority_judgment",
        "Jugement majoritaire",
        voting_enabled=True,
    )
    election = Election.objects.get(component=component)
    candidates = [
        Candidate.objects.create(election=election, title=f"Proposition {index}", position=index)
        for index in range(10)
    ]
    url = f"{component.get_absolute_url()}vote/"
    grades = {f"candidate-{candidate.pk}": str(index % 7) for index, candidate in enumerate(candidates)}
    someone = Client(HTTP_HOST=org_a.host)
    someone.force_login(UserFactory(organization=org_a))
    assert someone.post(url, grades).status_code == 200  # the vote's key is prepared
    voter = UserFactory(organization=org_a)
    client = Client(HTTP_HOST=org_a.host)
    client.force_login(voter)
    assert client.get(component.get_absolute_url()).status_code == 200  # the ballot page

    response, queries, control = vote_statements(client, url, grades)

    assert response.status_code == 200 and response.context["receipt"].code
    assert Participation.objects.filter(election=election, user=voter).count() == 1
    # Session; account with its organization; component with its election; the candidates;
    # the participation, whose insert checks that the vote is open; the envelope. In the
    # shared cache: the rate limit's counter.
    assert len(queries) == expected_queries(database=6, shared_cache=1), "\n".join(queries)
    assert len(queries) <= MOST_QUERIES_PER_VOTE
    assert control == one_transaction()
