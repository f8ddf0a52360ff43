"""What Civitas reads from a provider's claims, and the authentication levels it accepts."""

import datetime

import pytest

from civitas.identity.client import IdentityError, _check_acr
from civitas.identity.models import KEPT_BIRTH, KEPT_EMAIL, IdentityProvider
from civitas.identity.services import email_vouched_for, kept_fields, profile_from_claims


def provider(**fields):
    return IdentityProvider(name="FranceConnect", kind=fields.pop("kind", "franceconnect"), **fields)


def test_proconnect_names_the_family_name_usual_name():
    profile = profile_from_claims({"given_name": "Marie", "usual_name": "Curie", "email": "m@gouv.fr"})
    assert (profile["given_name"], profile["family_name"]) == ("Marie", "Curie")


def test_a_malformed_birth_date_is_dropped_not_guessed():
    assert profile_from_claims({"birthdate": "24/08/1962"})["birth_date"] is None
    assert profile_from_claims({"birthdate": "1962-08-24"})["birth_date"] == datetime.date(1962, 8, 24)


def test_only_the_ticked_data_is_kept():
    profile = profile_from_claims(
        {
            "given_name": "A",
            "family_name": "B",
            "email": "a@b.fr",
            "birthdate": "1962-08-24",
            "birthplace": "75107",
        }
    )
    assert kept_fields(provider(kept_data=[]), profile) == {
        "given_name": "",
        "family_name": "",
        "email": "",
        "birth_date": None,
        "birth_place": "",
    }
    kept = kept_fields(provider(kept_data=[KEPT_BIRTH, KEPT_EMAIL]), profile)
    assert (
        kept["birth_date"] == datetime.date(1962, 8, 24)
        and kept["email"] == "a@b.fr"
        and kept["given_name"] == ""
    )


def test_an_email_is_vouched_for_by_the_state_providers_or_email_verified():
    assert email_vouched_for(provider(), profile_from_claims({"email": "a@b.fr"}))
    generic = provider(kind="oidc")
    assert not email_vouched_for(generic, profile_from_claims({"email": "a@b.fr"}))
    assert email_vouched_for(generic, profile_from_claims({"email": "a@b.fr", "email_verified": True}))
    # A string "true" is not the boolean the specification asks for.
    assert not email_vouched_for(generic, profile_from_claims({"email": "a@b.fr", "email_verified": "true"}))


@pytest.mark.parametrize(
    ("requested", "reached", "accepted"),
    [
        ("eidas1", "eidas1", True),
        ("eidas1", "eidas2", True),  # a higher eIDAS level than asked
        ("eidas2", "eidas1", False),
        ("eidas1", "", False),
        ("eidas1", "eidasX", False),
        ("", "", True),  # nothing asked
        ("urn:town:loa:high", "urn:town:loa:high", True),
        ("urn:town:loa:high", "urn:town:loa:low", False),
    ],
)
def test_the_authentication_level_must_reach_the_one_asked(requested, reached, accepted):
    if accepted:
        _check_acr(provider(acr_values=requested), reached)
    else:
        with pytest.raises(IdentityError):
            _check_acr(provider(acr_values=requested), reached)


def test_the_person_digest_is_kept_whatever_is_kept_and_matches_a_paper_sheet(settings):
    """What counts one person once when they sign online and on paper (petitions)."""
    from civitas.authorizations.persons import person_digest, person_key
    from civitas.identity.services import stored_fields

    claims = {
        "given_name": "Marie-Louise Hélène",
        "family_name": "D'ALEMBERT",
        "birthdate": "1961-03-02",
        "birthplace": "2A004",
    }
    stored = stored_fields(provider(kept_data=[]), profile_from_claims(claims))
    assert stored["family_name"] == "" and stored["birth_date"] is None  # nothing kept...
    digest = stored["person_digest"]
    assert len(digest) == 64  # ...but the digest is
    key = person_key(settings.CIVITAS_BALLOT_KEY)
    # The same person as keyed from handwriting: case, accents, hyphens and apostrophes differ.
    keyed = {"family_name": "d alembert", "given_names": "marie louise helene", "birth_place": "2a004"}
    assert person_digest(key, birth_date="1961-03-02", **keyed) == digest
    assert person_digest(key, birth_date="1961-03-03", **keyed) != digest
    # A sheet that leaves out the birth place or the second given names is the same person.
    assert (
        person_digest(
            key, **{**keyed, "given_names": "Marie-Louise", "birth_place": ""}, birth_date="1961-03-02"
        )
        == digest
    )
    assert person_digest(key, **{**keyed, "given_names": "Hélène Marie"}, birth_date="1961-03-02") != digest
    # An incomplete identity matches nobody, rather than every incomplete identity.
    assert stored_fields(provider(), profile_from_claims({"given_name": "A"}))["person_digest"] == ""
    # Without the installation's secret, a copy of the database cannot test a guess.
    other = person_key("another installation's ballot secret, 32+ chars long")
    assert person_digest(other, birth_date="1961-03-02", **keyed) != digest
