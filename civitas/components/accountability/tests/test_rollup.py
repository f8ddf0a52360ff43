"""Progress roll-up of nested results (framework-free)."""

from fractions import Fraction

import pytest

from civitas.components.accountability.rollup import Node, RollupError, average_of, rolled_up_progress


def test_a_leaf_keeps_its_own_progress_clamped_and_unknown_is_zero():
    progress = rolled_up_progress([Node(1, None, 40), Node(2, None, None), Node(3, None, 140)])
    assert progress == {1: 40, 2: 0, 3: 100}


def test_parent_is_the_average_of_its_children_ignoring_its_own_value():
    nodes = [Node(1, None, 90), Node(2, 1, 100), Node(3, 1, 0), Node(4, 1, 50)]
    assert rolled_up_progress(nodes)[1] == 50


def test_weighted_roll_up():
    # A big child (weight 3) at 100 % and a small one (weight 1) at 0 %: 75 %, not 50 %.
    nodes = [Node(1, None, None), Node(2, 1, 100, weight=3), Node(3, 1, 0, weight=1)]
    assert rolled_up_progress(nodes, "weighted")[1] == 75
    assert rolled_up_progress(nodes, "average")[1] == 50


def test_weights_all_zero_fall_back_to_the_average():
    nodes = [Node(1, None, None), Node(2, 1, 100, weight=0), Node(3, 1, 0, weight=0)]
    assert rolled_up_progress(nodes, "weighted")[1] == 50


def test_roll_up_through_three_levels_is_exact():
    nodes = [
        Node(1, None, None),
        Node(2, 1, None),
        Node(3, 1, 10),
        Node(4, 2, 100),
        Node(5, 2, 0),
        Node(6, 2, 0),
    ]
    progress = rolled_up_progress(nodes)
    assert progress[2] == Fraction(100, 3)
    assert progress[1] == (Fraction(100, 3) + 10) / 2


def test_a_cycle_and_an_unknown_method_are_refused():
    with pytest.raises(RollupError):
        rolled_up_progress([Node(1, 2, 10), Node(2, 1, 10)])
    with pytest.raises(RollupError):
        rolled_up_progress([Node(1, None, 10)], "median")


def test_an_orphan_counts_as_a_root_and_average_of_ignores_unknown_ids():
    progress = rolled_up_progress([Node(1, 99, 30)])
    assert progress == {1: 30}
    assert average_of(progress, [1, 5]) == 30
    assert average_of(progress, []) is None
