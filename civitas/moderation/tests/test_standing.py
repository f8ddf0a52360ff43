"""The weight of a report, from the reporter's standing (framework-free)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civitas.moderation.standing import FULL_WEIGHT_AFTER_DAYS, NEW_ACCOUNT_FACTOR, report_weight


def test_an_established_account_with_no_record_weighs_one():
    assert report_weight(account_age_days=FULL_WEIGHT_AFTER_DAYS, upheld=0, dismissed=0) == 1


def test_a_new_account_weighs_little():
    assert report_weight(account_age_days=0, upheld=0, dismissed=0) == Decimal(str(NEW_ACCOUNT_FACTOR))
    assert report_weight(account_age_days=FULL_WEIGHT_AFTER_DAYS / 2, upheld=0, dismissed=0) == Decimal("0.5")


def test_the_record_moves_the_weight_both_ways():
    assert report_weight(account_age_days=365, upheld=4, dismissed=0) == Decimal("1.67")
    assert report_weight(account_age_days=365, upheld=0, dismissed=4) == Decimal("0.33")


@given(
    age=st.floats(min_value=0, max_value=10_000),
    upheld=st.integers(min_value=0, max_value=1000),
    dismissed=st.integers(min_value=0, max_value=1000),
)
def test_weights_stay_between_zero_and_two_and_grow_with_age_and_upheld_reports(age, upheld, dismissed):
    weight = report_weight(account_age_days=age, upheld=upheld, dismissed=dismissed)
    assert 0 <= weight <= 2
    assert report_weight(account_age_days=age + 1, upheld=upheld, dismissed=dismissed) >= weight
    assert report_weight(account_age_days=age, upheld=upheld + 1, dismissed=dismissed) >= weight
    assert report_weight(account_age_days=age, upheld=upheld, dismissed=dismissed + 1) <= weight


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        report_weight(account_age_days=1, upheld=-1, dismissed=0)
