"""The ballot page, voting through it, the results page, and the admin pages."""

import pytest
from django.utils import timezone

from civitas.actionlog.models import ActionLogEntry
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.models import Candidate, Election
from civitas.components.proposals.models import Proposal
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component

pytestmark = pytest.mark.django_db


def _url(component, suffix=""):
    return f"{component.get_absolute_url()}{suffix}"


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/majority_judgment/{suffix}"


def test_the_ballot_page_offers_every_grade_and_says_what_ungraded_means(client_a, election, voter):
    client_a.force_login(voter)
    client_a.cookies["django_language"] = "en"
    page = client_a.get(_url(election.component)).content.decode()
    assert "A candidate you leave ungraded counts as “À rejeter”, the lowest grade." in page
    for candidate in election.candidates.all():
        assert page.count(f'name="candidate-{candidate.pk}"') == 7


def test_the_ballot_page_is_in_french_by_default(client_a, election, voter):
    client_a.force_login(voter)
    page = client_a.get(_url(election.component)).content.decode()
    assert "Vérifier mon bulletin" in page
    assert "compte comme « À rejeter »" in page


def test_voting_through_the_page_shows_a_receipt_once(client_a, election, candidates, voter):
    client_a.force_login(voter)
    data = {f"candidate-{candidates['Bancs'].pk}": "6"}
    response = client_a.post(_url(election.component, "vote/"), data)
    assert response.status_code == 200
    code = response.context["receipt"].code
    assert code in response.content.decode() and "no-store" in response["Cache-Control"]
    assert code not in str(dict(client_a.session))
    again = client_a.post(_url(election.component, "vote/"), data, follow=True)
    assert election.envelopes().count() == 1
    assert "already voted" in again.content.decode() or "déjà voté" in again.content.decode()


def test_results_are_published_after_closing_with_an_accessible_profile(
    client_a, election, candidates, voter, admin_a
):
    services.do_vote(election=election, user=voter, data={f"candidate-{candidates['Bancs'].pk}": "6"})
    page = client_a.get(_url(election.component)).content.decode()
    assert "mj-profile" not in page
    assert client_a.get(_url(election.component, "sealed.jsonl")).status_code == 404
    services.do_close(election=election, user=admin_a)
    client_a.cookies["django_language"] = "en"
    page = client_a.get(_url(election.component)).content.decode()
    assert page.index("Bancs") < page.index("Jardin partagé")
    assert '<svg class="mj-profile" role="img"' in page and "<title id=" in page and "<desc id=" in page
    assert "Excellent: 1; Très bien: 0" in page
    sealed = client_a.get(_url(election.component, "sealed.jsonl"))
    assert sealed.status_code == 200 and b'"kind":"majority_judgment"' in b"".join(sealed.streaming_content)


def test_receipt_check_page(client_a, election, candidates, voter, admin_a):
    code = services.do_vote(election=election, user=voter, data={}).code
    before = client_a.post(_url(election.component, "check/"), {"code": code}).content.decode()
    assert "encrypted until the vote closes" in before or "chiffrés jusqu" in before
    services.do_close(election=election, user=admin_a)
    found = client_a.post(_url(election.component, "check/"), {"code": code})
    assert found.context["match"] is not None
    missing = client_a.post(_url(election.component, "check/"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert missing.context["match"] is None


def test_admin_adds_options_sets_grades_and_every_change_is_logged(client_a, admin_a, mj_in_preparation):
    client_a.force_login(admin_a)
    assert client_a.get(_admin_url(mj_in_preparation)).status_code == 200
    assert (
        client_a.post(_admin_url(mj_in_preparation, "candidates/"), {"title": "Option A"}).status_code == 302
    )
    election = Election.objects.get(component=mj_in_preparation)
    assert [c.title for c in election.candidates.all()] == ["Option A"]
    response = client_a.post(
        _admin_url(mj_in_preparation),
        {"question": "Quel projet ?", "grades": "Oui\nPeut-être\nNon", "description": ""},
    )
    assert response.status_code == 302
    election.refresh_from_db()
    assert election.grades == ["Oui", "Peut-être", "Non"]
    actions = set(ActionLogEntry.objects.values_list("action", flat=True))
    assert {"majority_judgment_candidate.create", "majority_judgment.update"} <= actions


@pytest.mark.parametrize("grades", ["Oui\nNon", "\n".join(f"G{i}" for i in range(11)), "Oui\noui\nNon"])
def test_a_bad_grade_scale_is_refused_and_changes_nothing(client_a, admin_a, mj_in_preparation, grades):
    client_a.force_login(admin_a)
    response = client_a.post(_admin_url(mj_in_preparation), {"question": "Q", "grades": grades})
    assert response.status_code == 200 and response.context["form"].errors["grades"]
    assert Election.objects.get(component=mj_in_preparation).grades[0] == "Excellent"


def test_options_and_grades_are_fixed_once_ballots_are_cast(client_a, admin_a, election, candidates, voter):
    services.do_vote(election=election, user=voter, data={})
    client_a.force_login(admin_a)
    client_a.post(_admin_url(election.component, "candidates/"), {"title": "Tardive"})
    client_a.post(_admin_url(election.component, f"candidates/{candidates['Bancs'].pk}/delete/"))
    client_a.post(_admin_url(election.component), {"question": "Q", "grades": "Oui\nBof\nNon"})
    election.refresh_from_db()
    assert election.candidates.count() == 3 and election.grades[0] == "Excellent"


def test_import_proposals_of_a_chosen_state(client_a, admin_a, mj_in_preparation, org_a):
    proposals_component = published_component(mj_in_preparation.space, admin_a, "proposals", "Idées")
    author = UserFactory(organization=org_a, nickname="autrice")

    def proposal(title, state):
        return Proposal.objects.create(
            component=proposals_component, author=author, title=title, body="<p>Texte</p>", state=state,
            published_at=timezone.now(),
        )  # fmt: skip

    accepted = proposal("Fontaine", Proposal.State.ACCEPTED)
    proposal("Refusée", Proposal.State.REJECTED)
    client_a.force_login(admin_a)
    client_a.post(_admin_url(mj_in_preparation, "candidates/import/"), {"state": "accepted"})
    client_a.post(_admin_url(mj_in_preparation, "candidates/import/"), {"state": "accepted"})  # nothing new
    candidate = Candidate.objects.get(election__component=mj_in_preparation)
    assert (candidate.title, candidate.proposal) == ("Fontaine", accepted)


def test_admin_closes_the_vote_and_another_organization_cannot(client_a, client_b, admin_a, election, org_b):
    client_b.force_login(UserFactory(organization=org_b, is_organization_admin=True))
    assert client_b.post(_admin_url(election.component, "close/")).status_code == 404
    assert client_b.get(_url(election.component)).status_code == 404
    client_a.force_login(admin_a)
    assert client_a.post(_admin_url(election.component, "close/")).status_code == 302
    assert not Election.objects.get(pk=election.pk).is_frozen  # the box saying it is final was not ticked
    confirmed = {"confirm_closing": "1"}
    assert client_a.post(_admin_url(election.component, "close/"), confirmed).status_code == 302
    election.refresh_from_db()
    assert election.is_frozen and election.seal


@pytest.mark.security("rate limits")
def test_a_script_hammering_the_ballot_box_is_cut_off(client_a, election, candidates, voter, settings):
    settings.CIVITAS_RATE_LIMITS = {"vote": (None, "2/10m")}
    client_a.force_login(voter)
    data = {f"candidate-{candidates['Bancs'].pk}": "6"}
    assert client_a.post(_url(election.component, "vote/"), data).status_code == 200
    assert client_a.post(_url(election.component, "vote/"), data).status_code == 302  # already voted
    limited = client_a.post(_url(election.component, "vote/"), data)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert election.envelopes().count() == 1
