"""The review step before a majority-judgment ballot is cast: the grades shown back from
the form alone, nothing stored, one page size whatever the grades, kept by no cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civitas.components.majority_judgment import services
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _url(component, suffix=""):
    return f"{component.get_absolute_url()}{suffix}"


def test_the_ballot_leads_to_the_review_then_to_the_vote(client_a, election, candidates, voter):
    client_a.force_login(voter)
    ballot = client_a.get(_url(election.component)).content.decode()
    assert f'action="{_url(election.component, "review/")}"' in ballot
    data = {f"candidate-{candidates['Piste cyclable'].pk}": "6", f"candidate-{candidates['Bancs'].pk}": "2"}
    with CaptureQueriesContext(connection) as queries:
        response = client_a.post(_url(election.component, "review/"), data)
    assert response.status_code == 200
    writes = [
        query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert not [sql for sql in writes if "civitas_shared_cache" not in sql]  # the rate limit's counter only
    assert not services.has_voted(election, voter) and not election.envelopes().exists()
    assert "no-store" in response["Cache-Control"]
    # Its form posts the vote: under no-referrer the browser would send "Origin: null" (CSRF).
    assert response["Referrer-Policy"] == "same-origin"
    page = response.content.decode()
    assert "Vérifiez votre bulletin avant de le déposer" in page
    assert "<span>Piste cyclable</span> <strong>Excellent</strong>" in page
    assert "<span>Jardin partagé</span> <strong>À rejeter</strong>" in page  # ungraded: the lowest
    # Only the grades given travel on: an ungraded candidate stays ungraded.
    assert f'name="candidate-{candidates["Piste cyclable"].pk}" value="6"' in page
    assert f'name="candidate-{candidates["Jardin partagé"].pk}"' not in page
    assert f'action="{_url(election.component, "vote/")}"' in page and ">Voter</button>" in page
    cast = client_a.post(_url(election.component, "vote/"), data)
    assert cast.status_code == 200 and services.has_voted(election, voter)


def test_changing_the_grades_ticks_them_again(client_a, election, candidates, voter):
    client_a.force_login(voter)
    bench = candidates["Bancs"].pk
    response = client_a.post(
        _url(election.component, "review/"), {f"candidate-{bench}": "3", "intent": "edit"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'name="candidate-{bench}" value="3" checked' in page and page.count(" checked") == 1
    assert not election.envelopes().exists()


def test_a_grade_not_offered_is_refused_at_the_review(client_a, election, candidates, voter):
    client_a.force_login(voter)
    response = client_a.post(
        _url(election.component, "review/"), {f"candidate-{candidates['Bancs'].pk}": "9"}
    )
    assert response.status_code == 302 and response["Location"] == _url(election.component)


def test_the_review_has_one_size_whatever_the_grades(client_a, election, candidates, org_a):
    ballots = [
        {},
        {"Bancs": "6"},
        {"Bancs": "0", "Piste cyclable": "5"},
        {"Jardin partagé": "3", "Bancs": "1"},
    ]
    sizes = set()
    for index, grades in enumerate(ballots):
        client_a.force_login(UserFactory(organization=org_a, nickname=f"votant{index}"))
        data = {f"candidate-{candidates[title].pk}": grade for title, grade in grades.items()}
        response = client_a.post(_url(election.component, "review/"), data)
        assert response.status_code == 200
        sizes.add(len(response.content))
    assert len(sizes) == 1, sizes
