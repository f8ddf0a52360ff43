import itertools

import pytest

from civitas.sortition import highs
from civitas.sortition.solver import QuotasInfeasible, diagnose, leximin, uniform_sample

from .helpers import meets_quotas, two_feature_instance, volunteers


def skewed_small():
    # Women and the young are scarce: leximin must spread their seats among them.
    pool = volunteers(("woman", "young", 2), ("woman", "old", 3), ("man", "young", 4), ("man", "old", 9))
    return two_feature_instance(pool, 4, {"woman": (2, 2), "man": (2, 2)}, {"young": (1, 3), "old": (1, 3)})


def brute_force_maximin(instance):
    """Max-min probability over all quota-satisfying panels, by one explicit LP."""
    codes = [v.code for v in instance.volunteers]
    panels = [p for p in itertools.combinations(codes, instance.panel_size) if meets_quotas(instance, p)]
    solver = highs.new_solver()
    highs.add_columns(solver, [0.0] * len(panels) + [0.0], [1.0] * len(panels) + [1.0])
    highs.add_row(solver, 1.0, 1.0, list(range(len(panels))), [1.0] * len(panels))
    for code in codes:
        holding = [i for i, p in enumerate(panels) if code in p]
        highs.add_row(solver, 0.0, highs.INFINITY, [*holding, len(panels)], [1.0] * len(holding) + [-1.0])
    highs.set_costs(solver, [len(panels)], [1.0])
    highs.maximize(solver)
    assert highs.solve(solver)
    return solver.getObjectiveValue()


def lottery_is_valid(instance, lottery):
    codes_by_group = [g.codes for g in lottery.groups]
    for composition in lottery.compositions:
        panel = [
            code for codes, count in zip(codes_by_group, composition, strict=True) for code in codes[:count]
        ]
        assert meets_quotas(instance, panel), composition
    assert sum(lottery.probabilities) == pytest.approx(1.0, abs=1e-12)
    assert sum(lottery.volunteer_probabilities().values()) == pytest.approx(instance.panel_size, abs=1e-9)


def test_forced_seats_give_the_exact_probabilities():
    pool = volunteers(("woman", "old", 2), ("man", "old", 8))
    instance = two_feature_instance(pool, 2, {"woman": (1, 1), "man": (1, 1)}, {"old": (0, 2)})
    probabilities = leximin(instance).volunteer_probabilities()
    assert probabilities["V01"] == pytest.approx(0.5, abs=1e-7)
    assert probabilities["V10"] == pytest.approx(0.125, abs=1e-7)


def test_leximin_minimum_matches_brute_force():
    instance = skewed_small()
    lottery = leximin(instance)
    lottery_is_valid(instance, lottery)
    assert min(lottery.volunteer_probabilities().values()) == pytest.approx(
        brute_force_maximin(instance), abs=1e-6
    )


def test_leximin_raises_the_second_level_too():
    # One seat for ten women fixes the minimum at 0.1. Any split of the two men's seats
    # keeps that minimum (maximin is indifferent), but leximin must then equalise the men.
    pool = volunteers(("woman", "old", 10), ("man", "young", 2), ("man", "old", 2))
    instance = two_feature_instance(
        pool, 3, {"woman": (1, 1), "man": (2, 2)}, {"young": (0, 2), "old": (1, 3)}
    )
    probabilities = leximin(instance).volunteer_probabilities()
    assert probabilities["V01"] == pytest.approx(0.1, abs=1e-7)
    for man in ("V11", "V12", "V13", "V14"):
        assert probabilities[man] == pytest.approx(0.5, abs=1e-6)


def test_uniform_sample_meets_quotas():
    instance = skewed_small()
    lottery = uniform_sample(instance, panels=30)
    lottery_is_valid(instance, lottery)
    assert lottery.method == "uniform"
    # The decaying weights spread the seats: nobody who fits in a panel is left at zero.
    assert min(lottery.volunteer_probabilities().values()) > 0


def test_counting_diagnosis_names_the_value_and_the_shortfall():
    pool = volunteers(("woman", "old", 3), ("man", "old", 10))
    instance = two_feature_instance(pool, 8, {"woman": (5, 8), "man": (0, 8)}, {"old": (0, 8)})
    assert [str(p) for p in diagnose(instance)] == ["gender=woman needs at least 5 but only 3 volunteers"]
    with pytest.raises(QuotasInfeasible, match="gender=woman needs at least 5"):
        leximin(instance)


def test_sum_of_minimums_above_the_panel_is_reported():
    pool = volunteers(("woman", "old", 5), ("man", "old", 5))
    instance = two_feature_instance(pool, 4, {"woman": (3, 4), "man": (3, 4)}, {"old": (0, 4)})
    assert [str(p) for p in diagnose(instance)] == [
        "gender: the minimums add up to 6, more than the panel of 4"
    ]


def test_interacting_quotas_are_diagnosed_by_relaxation():
    # Every woman is young: at least 3 women but at most 1 young person cannot both hold.
    pool = volunteers(("woman", "young", 4), ("man", "old", 6))
    instance = two_feature_instance(
        pool, 4, {"woman": (3, 4), "man": (0, 4)}, {"young": (0, 1), "old": (0, 4)}
    )
    problems = [str(p) for p in diagnose(instance)]
    assert problems
    assert len(problems) == 1
    assert problems[0] in (
        "gender=woman: the minimum of 3 is 2 too high",
        "age=young: the maximum of 1 is 2 too low",
    )


def test_feasible_quotas_have_no_diagnosis():
    assert diagnose(skewed_small()) == []
