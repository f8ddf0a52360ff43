"""What an outside tester broke: a counter changed in the database, one person on several
sheets, and signers named by joining their birth data with the identity table."""

import datetime

import pytest
from django.db.models import F

from civitas.components.petitions import paper, services
from civitas.components.petitions.figures import signer_figures
from civitas.components.petitions.models import Milestone, Signature, SignatureCounter
from civitas.components.petitions.signature_list import do_seal_list
from civitas.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_counter_changed_in_the_database_crosses_no_milestone_and_is_set_back(make_petition, signer):
    petition = make_petition()  # answer threshold 3 (conftest)
    services.do_sign(petition=petition, user=signer())
    SignatureCounter.objects.filter(petition=petition, shard=3).update(online=F("online") + 500)
    assert petition.counts()["total"] == 501
    # The next real signature: the counters say 502, the signatures 2.
    services.do_sign(petition=petition, user=signer())
    assert not Milestone.objects.filter(petition=petition).exists()
    do_seal_list(petition)
    assert petition.counts() == {"online": 2, "paper": 0, "total": 2}
    entry = petition.component.space.organization.action_log.get(action="petition.counters_corrected")
    assert (entry.before, entry.after) == ({"online": 502, "paper": 0}, {"online": 2, "paper": 0})
    # Nothing to correct the next time, and the real third signature reaches the milestone.
    do_seal_list(petition)
    assert (
        petition.component.space.organization.action_log.filter(action="petition.counters_corrected").count()
        == 1
    )
    services.do_sign(petition=petition, user=signer())
    assert Milestone.objects.filter(petition=petition, kind=Milestone.Kind.ANSWER).exists()


def test_sheet_variants_of_one_person_count_once(org_a, admin_a, make_petition, signer):
    """The tester's repro: Angela signed online, then two sheets, one without her birth
    place, one with all her given names; 4 signatures from 2 people were counted."""
    petition = make_petition()
    angela = {
        "names": ("Dubois", "Angela Claire Louise"),
        "born": datetime.date(1962, 8, 24),
        "place": "75107",
    }
    services.do_sign(petition=petition, user=signer(**angela))
    keyers = (admin_a, UserFactory(organization=org_a, is_organization_admin=True))
    batch = paper.do_create_batch(petition=petition, user=admin_a, label="Marché")
    lines = [
        {
            "line": "1-3",
            "family_name": "Dubois",
            "given_names": "Angela",
            "birth_date": "1962-08-24",
            "birth_place": "75107",
        },
        {
            "line": "1-4",
            "family_name": "DUBOIS",
            "given_names": "Angela Claire Louise",
            "birth_date": "1962-08-24",
            "birth_place": "",
        },
        {
            "line": "1-5",
            "family_name": "Dubois",
            "given_names": "Karim",
            "birth_date": "1962-08-24",
            "birth_place": "",
        },
    ]
    for keyer in keyers:
        for line in lines:
            paper.do_key_line(batch=batch, user=keyer, data=line)
    assert paper.do_count_batch(batch=batch, user=admin_a) == (1, 2)  # Karim only
    assert petition.counts() == {"online": 1, "paper": 1, "total": 2}


def test_no_row_pairs_a_signature_with_birth_data(make_petition, signer):
    petition = make_petition()
    for index in range(7):
        services.do_sign(
            petition=petition,
            user=signer(born=datetime.date(1990 - index % 2, 5, 17), place="69123" if index < 6 else "2A004"),
            share_aggregates=index != 0,
        )
    fields = {field.name for field in Signature._meta.fields}
    assert not fields & {"birth_year", "birth_date", "birth_place", "departement"}
    assert Signature.objects.filter(shares_aggregates=True).count() == 6
    figures = signer_figures(petition)
    # Born 1990 or 1989, published this year: one band; 69 shown, the one Corsican merged
    # into "other départements" and, alone there, not shown.
    assert [(figure.label, figure.signers) for figure in figures["departements"]] == [
        ("69", 5),
        ("autres départements", None),
    ]
    assert sum(figure.signers or 0 for figure in figures["ages"]) == 6


def test_withdrawing_takes_the_signer_out_of_the_figures(make_petition, signer):
    petition = make_petition()
    voter = signer()
    services.do_sign(petition=petition, user=voter, share_aggregates=True)
    services.do_withdraw(petition=petition, user=voter)
    assert list(petition.aggregates.values_list("signatures", flat=True)) == [0]
    services.do_sign(petition=petition, user=voter)  # unticked this time
    assert list(petition.aggregates.values_list("signatures", flat=True)) == [0]


def test_signers_of_one_year_and_departement_spread_over_shards_and_sum_back(make_petition, signer):
    """A popular petition's signers share a few birth years and départements: one row each
    would make every signer wait for the one before to commit. Shards spread them; the
    figures sum them; withdrawing takes one off a shard that has one (none goes negative)."""
    petition = make_petition()
    born = {"born": datetime.date(1980, 1, 1), "place": "33063"}
    voters = [signer(**born) for _index in range(40)]
    for voter in voters:
        services.do_sign(petition=petition, user=voter, share_aggregates=True)
    shards = dict(petition.aggregates.values_list("shard", "signatures"))
    assert len(shards) > 1 and sum(shards.values()) == 40
    assert [(figure.label, figure.signers) for figure in signer_figures(petition)["departements"]] == [
        ("33", 40)
    ]
    for voter in voters:
        services.do_withdraw(petition=petition, user=voter)
    assert set(petition.aggregates.values_list("signatures", flat=True)) == {0}
