"""The framework-free feature module, on its own."""

import numpy as np
import pytest

from civitas.spam.features import (
    ACCOUNT_FEATURES,
    FEATURE_NAMES,
    AccountInfo,
    Sample,
    describe,
    domains_in,
    is_disposable,
    link_count,
    structured,
    text_of,
)


def test_disposable_domains_from_the_shipped_list_and_their_subdomains():
    assert is_disposable("someone@mailinator.com")
    assert is_disposable("someone@eu.mailinator.com")
    assert not is_disposable("someone@laposte.net")
    assert not is_disposable("someone@ville-exemple.fr")
    assert not is_disposable("not-an-address")


def test_unknown_account_gives_zero_account_features():
    row = describe(Sample("profile", "Habitante du quartier"))
    assert all(row[name] == 0.0 for name in ACCOUNT_FEATURES)
    known = describe(Sample("profile", "x", AccountInfo(nickname="jean42", has_avatar=True)))
    assert known["account_known"] == 1.0 and known["has_avatar"] == 1.0


def test_links_phone_numbers_and_link_only_profiles():
    row = describe(Sample("profile", "https://joinlive77.com/"))
    assert row["has_url"] == 1.0 and row["mostly_links"] > 0.9
    row = describe(Sample("comment", "Call now +91 98765 43210 for the best offer"))
    assert row["phone_number"] == 1.0
    assert describe(Sample("profile", "Retraité, vélo et jardins."))["has_url"] == 0.0


def test_account_shape_features():
    account = AccountInfo(
        nickname="seo_expert_20231",
        name="Marie Curie",
        email="x@mailinator.com",
        contributions=4,
        contributions_with_links=3,
        linked_domains=("a.com", "b.com", "a.com"),
        minutes_to_first_contribution=2.0,
    )
    row = describe(Sample("profile", "Best services", account))
    assert row["disposable_email"] == 1.0
    assert row["nickname_long_digits"] == 1.0
    assert row["name_matches_nickname"] == 0.0
    assert row["link_share"] == 0.75
    assert row["first_contribution_within_10_min"] == 1.0
    assert (
        describe(Sample("profile", "", AccountInfo(nickname="mcurie", name="Marie Curie")))[
            "name_matches_nickname"
        ]
        == 1.0
    )


def test_text_of_adds_the_personal_url_and_linked_domains():
    account = AccountInfo(personal_url="https://cheap-seo.in", linked_domains=("casino.example",))
    text = text_of(Sample("profile", "Hello", account))
    assert "cheap-seo.in" in text and "casino.example" in text
    assert text_of(Sample("comment", "Hello", account)) == "Hello\ncasino.example"


def test_structured_shape_and_bad_kind():
    matrix = structured([Sample("profile", "a"), Sample("comment", "b")])
    assert matrix.shape == (2, len(FEATURE_NAMES)) and np.isfinite(matrix).all()
    assert structured([]).shape == (0, len(FEATURE_NAMES))
    with pytest.raises(ValueError):
        Sample("email", "x")


def test_link_count_and_domains():
    assert domains_in("voir https://www.service-public.fr/particuliers et www.ville.fr") == [
        "service-public.fr",
        "ville.fr",
    ]
    assert link_count(["sans lien", "https://a.fr/x", '<a href="x">y</a>']) == (2, ["a.fr"])


def test_neither_length_nor_kind_is_a_feature():
    """A long civic profile must not look like spam for its length, nor differ from a comment."""
    assert not {"length_log", "is_comment"} & set(describe(Sample("profile", "x")))
    long_text = "Habitante du quartier, je suis les consultations sur le budget. " * 15
    assert describe(Sample("profile", long_text)) == describe(Sample("comment", long_text))
