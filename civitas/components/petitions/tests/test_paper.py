"""Paper signatures: double entry by two people, counted apart, one person once."""

import datetime

import pytest

from civitas.components.petitions import paper, services
from civitas.components.petitions.models import PaperKeying, Signature
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

LINE = {
    "line": "1-1",
    "family_name": "Dupont",
    "given_names": "Marie Louise",
    "birth_date": "1961-03-02",
    "birth_place": "2A004",
}


def test_lines_count_only_when_two_people_keyed_them_identically(org_a, admin_a, make_petition, signer):
    petition = make_petition()
    services.do_sign(petition=petition, user=signer())
    other_admin = UserFactory(organization=org_a, is_organization_admin=True)
    batch = paper.do_create_batch(petition=petition, user=admin_a, label="Mairie annexe")
    paper.do_key_line(batch=batch, user=admin_a, data=LINE)
    paper.do_key_line(batch=batch, user=admin_a, data={**LINE, "line": "1-2", "family_name": "Martin"})
    assert "deux personnes différentes" in paper.check_can_count(batch)
    paper.do_key_line(batch=batch, user=other_admin, data=LINE)
    keying = paper.do_key_line(
        batch=batch, user=other_admin, data={**LINE, "line": "1-2", "family_name": "Martine"}
    )
    assert "identique" in paper.check_can_count(batch)
    with pytest.raises(services.PetitionError):
        paper.do_key_line(batch=batch, user=other_admin, data=LINE)  # the same line twice
    paper.do_delete_keying(keying=keying, user=other_admin)
    paper.do_key_line(batch=batch, user=other_admin, data={**LINE, "line": "1-2", "family_name": "Martin"})
    assert paper.do_count_batch(batch=batch, user=admin_a) == (2, 0)
    assert petition.counts() == {"online": 1, "paper": 2, "total": 3}
    assert not PaperKeying.objects.exists()  # the names keyed are gone
    # Nobody asked paper signers about the public figures: not counted there.
    assert list(
        Signature.objects.filter(channel="paper").values_list("shares_aggregates", "receipt_hash")
    ) == [
        (False, ""),
        (False, ""),
    ]
    assert not petition.aggregates.exists()
    with pytest.raises(services.PetitionError):
        paper.do_key_line(batch=batch, user=admin_a, data=LINE)


def test_the_same_person_on_two_sheets_counts_once(org_a, admin_a, make_petition):
    petition = make_petition()
    second = UserFactory(organization=org_a, is_organization_admin=True)
    counted = []
    for label, written in (("Lot 1", "Dupont"), ("Lot 2", "DUPONT")):
        batch = paper.do_create_batch(petition=petition, user=admin_a, label=label)
        for keyer in (admin_a, second):
            paper.do_key_line(batch=batch, user=keyer, data={**LINE, "family_name": written})
        counted.append(paper.do_count_batch(batch=batch, user=admin_a))
    assert counted == [(1, 0), (0, 1)] and petition.counts()["paper"] == 1


@pytest.mark.parametrize(
    "change",
    [{"line": "une"}, {"family_name": " "}, {"birth_date": "2999-01-01"}, {"birth_place": "Lyon"}],
)
def test_bad_lines_are_refused_and_nothing_is_keyed(admin_a, make_petition, change):
    batch = paper.do_create_batch(petition=make_petition(), user=admin_a, label="Lot")
    with pytest.raises(services.PetitionError):
        paper.do_key_line(batch=batch, user=admin_a, data={**LINE, **change})
    assert not PaperKeying.objects.exists()


def _count_line(petition, admin_a, org_a, line):
    second = UserFactory(organization=org_a, is_organization_admin=True)
    batch = paper.do_create_batch(petition=petition, user=admin_a, label="Mairie")
    for keyer in (admin_a, second):
        paper.do_key_line(batch=batch, user=keyer, data=line)
    return paper.do_count_batch(batch=batch, user=admin_a)


MARIE = {"names": ("Dupont", "Marie-Louise"), "born": datetime.date(1961, 3, 2), "place": "2A004"}


def test_signed_online_then_on_paper_counts_once(org_a, admin_a, make_petition, signer):
    petition = make_petition()
    services.do_sign(petition=petition, user=signer(**MARIE))
    # The sheet, keyed from handwriting: another case, no hyphen.
    assert _count_line(petition, admin_a, org_a, {**LINE, "family_name": "DUPONT"}) == (0, 1)
    assert petition.counts() == {"online": 1, "paper": 0, "total": 1}


def test_signed_on_paper_then_online_is_refused_online(org_a, admin_a, make_petition, signer):
    petition = make_petition()
    assert _count_line(petition, admin_a, org_a, LINE) == (1, 0)
    marie = signer(**MARIE)
    assert services.signer_status(petition, marie).signed
    with pytest.raises(services.AlreadySigned):
        services.do_sign(petition=petition, user=marie)
    # Someone else with the same name but another birth date is another person.
    services.do_sign(petition=petition, user=signer(**{**MARIE, "born": datetime.date(1961, 3, 3)}))
    assert petition.counts() == {"online": 1, "paper": 1, "total": 2}


def test_the_person_column_is_not_published(org_a, admin_a, make_petition, signer):
    """It would let two channels' lists be joined; the sealed list carries the pseudonym only."""
    from civitas.components.petitions import signature_list

    petition = make_petition()
    services.do_sign(petition=petition, user=signer(**MARIE))
    person = str(Signature.objects.get().person)
    assert all(person not in str(record) for record in signature_list._records(petition))
