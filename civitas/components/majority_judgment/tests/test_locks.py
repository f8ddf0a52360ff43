"""Candidates and grades are locked while voting is open, and once a ballot exists or is keyed."""

import pytest

from civitas.components.majority_judgment import paper, services
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.testing.components import configure_component

pytestmark = pytest.mark.django_db


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/majority_judgment/{suffix}"


def test_candidates_and_grades_are_locked_while_voting_is_open(client_a, admin_a, election, candidates):
    component = election.component
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    page = client_a.get(_admin_url(component)).content.decode()
    assert "Voting is open: the candidates and grades cannot change" in page
    assert "readonly" in page and "Add the option" not in page
    client_a.post(_admin_url(component, "candidates/"), {"title": "Option D"})
    client_a.post(_admin_url(component, f"candidates/{candidates['Bancs'].pk}/delete/"))
    assert sorted(election.candidates.values_list("title", flat=True)) == sorted(candidates)
    refused = client_a.post(
        _admin_url(component), {"question": "Nouvelle ?", "grades": "Oui\nPeut-être\nNon"}
    )
    assert refused.status_code == 400 and "Voting is open" in refused.content.decode()
    election.refresh_from_db()
    assert election.grades[0] == "Excellent" and election.question == ""
    # With the grades unchanged, the question can still be reworded.
    grades = "\n".join(election.grades)
    assert (
        client_a.post(_admin_url(component), {"question": "Quel projet ?", "grades": grades}).status_code
        == 302
    )
    election.refresh_from_db()
    assert election.question == "Quel projet ?"


def test_the_lock_lifts_when_voting_is_closed_in_the_phase_before_anyone_voted(admin_a, election):
    configure_component(election.component, admin_a, voting_enabled=False)
    election = Election.objects.get(pk=election.pk)
    assert services.rules_lock_reason(election) is None
    services.do_add_candidate(election=election, user=admin_a, title="Option D")
    assert Candidate.objects.filter(election=election, title="Option D").exists()


def test_a_keyed_paper_ballot_locks_the_candidates(admin_a, election, candidates):
    configure_component(election.component, admin_a, voting_enabled=False)
    election = Election.objects.get(pk=election.pk)
    run = paper.do_print_run(election=election, user=admin_a, copies=1)
    box = paper.do_create_batch(election=election, user=admin_a, label="Urne", expected_count=1)
    paper.do_key_ballot(batch=box, user=admin_a, serial=paper.serials_of(run)[0], data={})
    with pytest.raises(services.VoteError, match="Paper ballots are being keyed"):
        services.do_delete_candidate(candidate=candidates["Bancs"], user=admin_a)
    assert Candidate.objects.filter(pk=candidates["Bancs"].pk).exists()


def test_the_lock_is_explained_in_french_by_default(client_a, admin_a, election):
    client_a.force_login(admin_a)
    page = client_a.get(_admin_url(election.component)).content.decode()
    assert "Le vote est ouvert : les candidats et les mentions ne peuvent pas changer" in page
