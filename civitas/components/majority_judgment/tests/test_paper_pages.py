"""The paper-ballot admin pages: who may use them, keying through the form, errors."""

import pytest

from civitas.components.majority_judgment import paper
from civitas.components.majority_judgment.models import PaperBatch, PaperKeying
from civitas.spaces.services import do_grant_role
from civitas.testing.ballots import opened_records
from civitas.testing.factories import UserFactory
from civitas.testing.participation import published_component, published_space

pytestmark = pytest.mark.django_db


def _admin_url(component, suffix=""):
    return f"/admin/spaces/{component.space.pk}/components/{component.pk}/majority_judgment/{suffix}"


@pytest.fixture
def serials(election, admin_a):
    return paper.serials_of(paper.do_print_run(election=election, user=admin_a, copies=3))


@pytest.fixture
def box(election, admin_a):
    return paper.do_create_batch(election=election, user=admin_a, label="Urne", expected_count=1)


def test_admins_create_a_box_print_and_key_through_the_pages(client_a, admin_a, org_a, election, candidates):
    component = election.component
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    assert "Paper ballots" in client_a.get(_admin_url(component)).content.decode()
    printed = client_a.post(_admin_url(component, "paper/print/"), {"copies": "2"}, follow=True)
    page = printed.content.decode()
    assert "000001-" in page and "000002-" in page and "Bancs" in page
    created = client_a.post(_admin_url(component, "paper/"), {"label": "Urne", "expected_count": "1"})
    batch = PaperBatch.objects.get()
    assert created["Location"].endswith(f"paper/batches/{batch.pk}/")
    serial = paper.serials_of(election.print_runs.get())[0]
    data = {"action": "key", "serial": serial, f"candidate-{candidates['Bancs'].pk}": "6"}
    second = UserFactory(organization=org_a, nickname="denis")
    do_grant_role(space=component.space, user=admin_a, person=second, role="admin")
    assert client_a.post(_admin_url(component, f"paper/batches/{batch.pk}/"), data).status_code == 302
    client_a.force_login(second)
    client_a.post(_admin_url(component, f"paper/batches/{batch.pk}/"), data)
    counted = client_a.post(
        _admin_url(component, f"paper/batches/{batch.pk}/"), {"action": "count"}, follow=True
    )
    assert "1 paper ballot added" in counted.content.decode()
    assert len(opened_records(channel="paper")) == 1


def test_a_bad_keying_is_shown_in_an_error_summary_and_changes_nothing(
    client_a, admin_a, election, candidates, serials, box
):
    client_a.force_login(admin_a)
    client_a.cookies["django_language"] = "en"
    url = _admin_url(election.component, f"paper/batches/{box.pk}/")
    bad_serial = client_a.post(url, {"action": "key", "serial": serials[0][:-1] + "0"})
    page = bad_serial.content.decode()
    assert bad_serial.status_code == 400
    assert 'role="alert"' in page and 'href="#serial"' in page and 'aria-invalid="true"' in page
    bancs = f"candidate-{candidates['Bancs'].pk}"
    bad_grade = client_a.post(url, {"action": "key", "serial": serials[0], bancs: "9"})
    assert bad_grade.status_code == 400 and "not one of the grades" in bad_grade.content.decode()
    empty_box = client_a.post(_admin_url(election.component, "paper/"), {"label": "", "expected_count": "0"})
    assert empty_box.status_code == 400 and 'href="#id_label"' in empty_box.content.decode()
    assert not PaperKeying.objects.exists() and PaperBatch.objects.count() == 1


def test_the_pages_are_in_french_by_default(client_a, admin_a, election, box):
    client_a.force_login(admin_a)
    page = client_a.get(_admin_url(election.component, f"paper/batches/{box.pk}/")).content.decode()
    assert "Saisir un bulletin" in page and "Numéro de série imprimé sur le bulletin" in page


def test_a_participant_cannot_key_or_see_the_paper_pages(client_a, election, serials, box, voter):
    client_a.force_login(voter)
    url = _admin_url(election.component, f"paper/batches/{box.pk}/")
    assert client_a.get(url).status_code == 403
    assert client_a.post(url, {"action": "key", "serial": serials[0]}).status_code == 403
    assert client_a.post(_admin_url(election.component, "paper/print/"), {"copies": "5"}).status_code == 403
    assert not PaperKeying.objects.exists() and election.print_runs.count() == 1


def test_the_admin_of_another_space_cannot_key(client_a, org_a, admin_a, election, serials, box):
    other_space = published_space(org_a, admin_a, title="Autre espace")
    published_component(other_space, admin_a, "majority_judgment")
    neighbour = UserFactory(organization=org_a, nickname="voisin")
    do_grant_role(space=other_space, user=admin_a, person=neighbour, role="admin")
    client_a.force_login(neighbour)
    url = _admin_url(election.component, f"paper/batches/{box.pk}/")
    assert client_a.post(url, {"action": "key", "serial": serials[0]}).status_code == 403
    assert not PaperKeying.objects.exists()


def test_another_organization_cannot_reach_a_box(client_b, org_b, election, serials, box):
    admin_b = UserFactory(organization=org_b, nickname="maireb", is_organization_admin=True)
    client_b.force_login(admin_b)
    url = _admin_url(election.component, f"paper/batches/{box.pk}/")
    assert client_b.post(url, {"action": "key", "serial": serials[0]}).status_code == 404
    assert not PaperKeying.objects.exists()


def test_a_box_of_another_vote_is_not_found_through_this_vote(client_a, org_a, admin_a, election, box):
    other_space = published_space(org_a, admin_a, title="Autre espace")
    other = published_component(other_space, admin_a, "majority_judgment")
    client_a.force_login(admin_a)
    assert client_a.get(_admin_url(other, f"paper/batches/{box.pk}/")).status_code == 404


def test_the_results_page_says_how_many_ballots_were_online_and_on_paper(
    client_a, org_a, admin_a, election, candidates, serials, box, voter
):
    from civitas.components.majority_judgment import services

    services.do_vote(election=election, user=voter, data={})
    second = UserFactory(organization=org_a, nickname="denis")
    do_grant_role(space=election.component.space, user=admin_a, person=second, role="admin")
    for person in (admin_a, second):
        paper.do_key_ballot(batch=box, user=person, serial=serials[0], data={})
    paper.do_count_batch(batch=box, user=admin_a)
    services.do_close(election=election, user=admin_a)
    page = client_a.get(election.component.get_absolute_url()).content.decode()
    assert "2 bulletins." in page and "En ligne : 1 ; sur papier : 1." in page
