import pytest

from civitas.sortition.model import Feature, Instance, InstanceError, Quota, Volunteer, quotas_from_shares


def test_quotas_from_shares_surround_the_proportional_count():
    quotas = quotas_from_shares({"woman": 52, "man": 48}, 150, 0.02)
    # 52 % of 150 = 78 seats, ±3 seats.
    assert quotas == {"woman": Quota(75, 81), "man": Quota(69, 75)}


def test_quotas_from_shares_stay_within_the_panel():
    quotas = quotas_from_shares({"a": 0.99, "b": 0.01}, 10, 0.05)
    assert quotas["a"].maximum == 10
    assert quotas["b"].minimum == 0


def test_unknown_answer_is_refused():
    feature = Feature("gender", {"woman": Quota(0, 1), "man": Quota(0, 1)})
    with pytest.raises(InstanceError, match="not a value of gender"):
        Instance([feature], [Volunteer("V1", {"gender": "other"})], 1)


def test_duplicate_code_is_refused():
    feature = Feature("gender", {"woman": Quota(0, 2)})
    pool = [Volunteer("V1", {"gender": "woman"}), Volunteer("V1", {"gender": "woman"})]
    with pytest.raises(InstanceError, match="appears twice"):
        Instance([feature], pool, 1)


def test_groups_gather_identical_profiles_in_canonical_order():
    feature = Feature("gender", {"woman": Quota(0, 2), "man": Quota(0, 2)})
    pool = [Volunteer(code, {"gender": g}) for code, g in [("B", "woman"), ("A", "man"), ("C", "woman")]]
    groups = Instance([feature], pool, 2).groups()
    assert [(g.profile, g.codes) for g in groups] == [(("man",), ("A",)), (("woman",), ("B", "C"))]
