"""Budget vote rules at their boundaries; greedy winners; the Method of Equal Shares.

The equal-shares elections are the two worked examples of equalshares.net's
"Explanation of the Method of Equal Shares" (Peters, Pierczyński, Skowron and
co-authors; https://equalshares.net/explanation/, "Example 1" and "Example 2 (more
complicated)"): 11 voters, a budget of 1100 and five projects.
"""

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.voting import budget_rules
from civitas.voting.budget_rules import (
    OrderProblem,
    Project,
    RuleError,
    VoteRule,
    equal_shares,
    greedy_winners,
    problems_adding,
    problems_at_checkout,
    vote_counts,
)

COSTS = {"a": 300, "b": 500, "c": 200}


def codes(problems: list[OrderProblem]) -> list[str]:
    return [problem.code for problem in problems]


# --- vote rules ----------------------------------------------------------------------


def test_an_order_may_spend_exactly_the_budget_but_not_one_euro_more():
    rule = VoteRule(budget=1000)
    assert problems_adding(rule, COSTS, ["a"], "b") == []
    assert problems_at_checkout(rule, COSTS, ["a", "b", "c"]) == []  # 1000 exactly
    over = problems_adding(VoteRule(budget=999), COSTS, ["a", "b"], "c")
    assert over == [OrderProblem("over_budget", {"total": 1000, "budget": 999, "excess": 1})]
    assert codes(problems_at_checkout(VoteRule(budget=999), COSTS, ["a", "b", "c"])) == ["over_budget"]


def test_minimum_percent_is_reached_at_the_exact_threshold_and_rounds_up():
    rule = VoteRule(budget=1000, kind="minimum_percent", minimum_percent=50)
    assert rule.minimum_total == 500
    assert problems_at_checkout(rule, COSTS, ["b"]) == []  # 500 = 50 %
    assert problems_at_checkout(rule, COSTS, ["a"]) == [
        OrderProblem("below_minimum_total", {"total": 300, "minimum": 500, "percent": 50})
    ]
    # 33 % of 1001 is 330.33: 330 is not enough, 331 is.
    assert VoteRule(budget=1001, kind="minimum_percent", minimum_percent=33).minimum_total == 331
    # Adding a project below the minimum is fine: the minimum is checked at checkout only.
    assert problems_adding(rule, COSTS, [], "c") == []


def test_project_count_between_minimum_and_maximum():
    rule = VoteRule(budget=10_000, kind="project_count", minimum_projects=2, maximum_projects=3)
    assert codes(problems_at_checkout(rule, COSTS, ["a"])) == ["too_few_projects"]
    assert problems_at_checkout(rule, COSTS, ["a", "b"]) == []
    assert problems_at_checkout(rule, COSTS, ["a", "b", "c"]) == []
    more = {**COSTS, "d": 1}
    assert codes(problems_adding(rule, more, ["a", "b", "c"], "d")) == ["too_many_projects"]
    assert codes(problems_at_checkout(rule, more, ["a", "b", "c", "d"])) == ["too_many_projects"]
    # Without a maximum, any number goes.
    open_rule = VoteRule(budget=10_000, kind="project_count", minimum_projects=1)
    assert problems_at_checkout(open_rule, more, ["a", "b", "c", "d"]) == []


def test_project_count_still_keeps_the_order_within_the_budget():
    rule = VoteRule(budget=600, kind="project_count", minimum_projects=1, maximum_projects=5)
    assert codes(problems_adding(rule, COSTS, ["a"], "b")) == ["over_budget"]


def test_every_problem_of_an_order_is_reported_at_once():
    rule = VoteRule(budget=400, kind="project_count", minimum_projects=3, maximum_projects=3)
    assert codes(problems_at_checkout(rule, COSTS, ["a", "b"])) == ["over_budget", "too_few_projects"]


def test_unknown_duplicate_and_empty_orders_are_refused():
    rule = VoteRule(budget=1000)
    assert codes(problems_adding(rule, COSTS, [], "zzz")) == ["unknown_project"]
    assert codes(problems_adding(rule, COSTS, ["a"], "a")) == ["already_chosen"]
    assert codes(problems_at_checkout(rule, COSTS, ["a", "a"])) == ["already_chosen"]
    assert codes(problems_at_checkout(rule, COSTS, [])) == ["empty_order"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"budget": 0},
        {"budget": 100, "kind": "at_least"},
        {"budget": 100, "kind": "minimum_percent", "minimum_percent": 101},
        {"budget": 100, "kind": "project_count", "minimum_projects": 4, "maximum_projects": 3},
        {"budget": 100, "kind": "project_count", "minimum_projects": -1},
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(kwargs):
    with pytest.raises(RuleError):
        VoteRule(**kwargs)


@settings(max_examples=200, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=8),
    budget=st.integers(min_value=1, max_value=2000),
    picks=st.lists(st.integers(min_value=0, max_value=7), max_size=12),
)
def test_adding_one_project_at_a_time_never_goes_over_the_budget(costs, budget, picks):
    catalogue = {f"p{i}": cost for i, cost in enumerate(costs)}
    rule = VoteRule(budget=budget)
    order: list[str] = []
    for pick in picks:
        project = f"p{pick}"
        if not problems_adding(rule, catalogue, order, project):
            order.append(project)
    assert sum(catalogue.get(p, 0) for p in order) <= budget
    assert "over_budget" not in codes(problems_at_checkout(rule, catalogue, order) if order else [])


# --- greedy winners --------------------------------------------------------------------


def test_greedy_takes_most_votes_first_and_skips_what_no_longer_fits():
    projects = [Project("big", 700), Project("mid", 400), Project("small", 250), Project("tiny", 100)]
    votes = {"big": 9, "mid": 8, "small": 7, "tiny": 1}
    # big (700) fits, mid (400) does not (300 left), small (250) fits, tiny (100) no longer fits.
    assert greedy_winners(projects, votes, 1000) == ["big", "small"]
    assert greedy_winners(projects, votes, 1049) == ["big", "small"]  # 99 left: tiny skipped
    assert greedy_winners(projects, votes, 1050) == ["big", "small", "tiny"]  # exactly 100 left
    assert greedy_winners(projects, votes, 1100) == ["big", "mid"]


def test_greedy_breaks_ties_by_cost_then_id_and_ignores_projects_without_votes():
    projects = [Project("b", 300), Project("a", 300), Project("c", 200), Project("z", 1)]
    votes = {"a": 5, "b": 5, "c": 5, "z": 0}
    assert greedy_winners(projects, votes, 500) == ["c", "a"]


def test_greedy_refuses_votes_for_unknown_projects():
    with pytest.raises(RuleError):
        greedy_winners([Project("a", 1)], {"b": 3}, 10)


# --- the Method of Equal Shares on equalshares.net's worked examples ---------------------

EXAMPLE_PROJECTS = [
    Project("bike", 700),
    Project("gym", 400),
    Project("park", 250),
    Project("playground", 200),
    Project("library", 100),
]


def example_ballots(*, eleventh: str) -> list[list[str]]:
    """The eleven voters of the table, left to right; the last one's sport differs between examples."""
    return [
        ["bike", "gym"],
        ["bike", "gym", "park"],
        ["bike", "gym"],
        ["bike", "gym", "park"],
        ["bike", "gym", "park"],
        ["bike", "gym"],
        ["park", "playground", "library"],
        ["playground"],
        ["playground", "library"],
        ["park", "playground", "library"],
        [eleventh],
    ]


def test_equal_shares_example_1_of_equalshares_net():
    ballots = example_ballots(eleventh="bike")
    assert vote_counts(EXAMPLE_PROJECTS, ballots) == {
        "bike": 7, "gym": 6, "park": 5, "playground": 4, "library": 3
    }  # fmt: skip
    result = equal_shares(EXAMPLE_PROJECTS, ballots, 1100, completion="none")
    # "The winning projects are the bike path, the new playground, and the library for kids."
    assert result.winners == ["bike", "playground", "library"]
    assert [r.largest_payment for r in result.rounds] == [100, 50, Fraction(100, 3)]
    assert [r.effective_votes for r in result.rounds] == [7, 4, 3]
    # The usual rule funds the two sports projects instead.
    assert greedy_winners(EXAMPLE_PROJECTS, vote_counts(EXAMPLE_PROJECTS, ballots), 1100) == ["bike", "gym"]


def test_equal_shares_example_2_of_equalshares_net():
    result = equal_shares(EXAMPLE_PROJECTS, example_ballots(eleventh="gym"), 1100, completion="none")
    # gym (7 votes, 400/7 each), then park, then playground; the library is no longer affordable.
    assert result.winners == ["gym", "park", "playground"]
    gym, park, playground = result.rounds
    assert gym.largest_payment == Fraction(400, 7) and gym.effective_votes == 7
    # Three supporters pay their 300/7 left, the two others share the rest: 60.71 each.
    assert park.largest_payment == Fraction(425, 7)
    assert round(float(park.effective_votes), 1) == 4.1
    assert playground.largest_payment == Fraction(425, 7)
    assert float(playground.effective_votes) == pytest.approx(3.29, abs=0.01)


def test_completion_raises_the_share_and_then_fills_greedily_without_exceeding_the_budget():
    ballots = example_ballots(eleventh="gym")
    plain = equal_shares(EXAMPLE_PROJECTS, ballots, 1100, completion="none")
    completed = equal_shares(EXAMPLE_PROJECTS, ballots, 1100)
    assert plain.spent == 850
    assert completed.spent <= 1100
    assert set(plain.winners) <= set(completed.winners) or completed.spent > plain.spent
    assert completed.spent >= plain.spent
    left = 1100 - completed.spent
    assert all(p.cost > left for p in EXAMPLE_PROJECTS if p.id not in completed.winners)  # exhaustive


def test_equal_shares_is_proportional_where_greedy_is_not():
    # 51 voters want the red projects, 49 the blue ones; money for 10 of 20 projects.
    projects = [Project(f"red{i}", 100) for i in range(10)] + [Project(f"blue{i}", 100) for i in range(10)]
    ballots = [[f"red{i}" for i in range(10)]] * 51 + [[f"blue{i}" for i in range(10)]] * 49
    result = equal_shares(projects, ballots, 1000)
    assert sum(1 for p in result.winners if p.startswith("red")) == 5
    assert sum(1 for p in result.winners if p.startswith("blue")) == 5
    greedy = greedy_winners(projects, vote_counts(projects, ballots), 1000)
    assert all(p.startswith("red") for p in greedy)


def test_equal_shares_with_no_ballot_and_with_bad_input():
    assert equal_shares(EXAMPLE_PROJECTS, [], 1100).winners == []
    with pytest.raises(RuleError):
        equal_shares(EXAMPLE_PROJECTS, [["nowhere"]], 1100)
    with pytest.raises(RuleError):
        equal_shares([Project("a", 1), Project("a", 2)], [["a"]], 10)
    with pytest.raises(RuleError):
        equal_shares(EXAMPLE_PROJECTS, [], 1100, completion="magic")
    with pytest.raises(RuleError):
        Project("free", 0)


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    ballots=st.lists(st.sets(st.integers(min_value=0, max_value=5), min_size=1), min_size=1, max_size=15),
    budget=st.integers(min_value=1, max_value=200),
)
def test_every_rule_stays_within_the_budget_and_funds_only_voted_projects(costs, ballots, budget):
    projects = [Project(f"p{i}", cost) for i, cost in enumerate(costs)]
    named = [[f"p{i}" for i in ballot if i < len(costs)] for ballot in ballots]
    votes = vote_counts(projects, named)
    cost = {p.id: p.cost for p in projects}
    for winners in (
        greedy_winners(projects, votes, budget),
        equal_shares(projects, named, budget).winners,
        equal_shares(projects, named, budget, completion="none").winners,
    ):
        assert len(set(winners)) == len(winners)
        assert sum(cost[p] for p in winners) <= budget
        assert all(votes[p] > 0 for p in winners)


@settings(max_examples=60, deadline=None)
@given(
    costs=st.lists(st.integers(min_value=1, max_value=60), min_size=1, max_size=6),
    ballots=st.lists(st.sets(st.integers(min_value=0, max_value=5), min_size=1), min_size=1, max_size=15),
    budget=st.integers(min_value=1, max_value=200),
    order=st.randoms(use_true_random=False),
)
def test_equal_shares_does_not_depend_on_the_order_of_the_ballots(costs, ballots, budget, order):
    """What lets the closing compute the winners from orders and find them for the sealed ballots."""
    run = budget_rules._equal_shares_of.__wrapped__  # the method itself, without the cache
    cost_items = tuple((f"p{i}", cost) for i, cost in enumerate(costs))
    groups = [(tuple(f"p{i}" for i in sorted(ballot) if i < len(costs)), 1) for ballot in ballots]
    shuffled = list(groups)
    order.shuffle(shuffled)
    assert run(cost_items, tuple(groups), budget, "add1") == run(cost_items, tuple(shuffled), budget, "add1")


def test_the_same_election_is_computed_once_and_each_caller_gets_its_own_lists():
    projects = [Project("a", 30), Project("b", 20), Project("c", 10)]
    ballots = [["a"], ["a", "b"], ["c"], ["b", "c"]]
    budget_rules._equal_shares_of.cache_clear()
    first = equal_shares(projects, ballots, 50)
    first.winners.append("mutated")
    second = equal_shares(projects, list(reversed(ballots)), 50)
    assert budget_rules._equal_shares_of.cache_info().hits == 1
    assert "mutated" not in second.winners


def test_command_line_prints_the_winners(tmp_path, capsys):
    path = tmp_path / "election.json"
    path.write_text(
        json.dumps(
            {
                "budget": 1100,
                "projects": [{"id": p.id, "cost": p.cost} for p in EXAMPLE_PROJECTS],
                "ballots": example_ballots(eleventh="bike"),
            }
        )
    )
    assert budget_rules.main([str(path), "--rule", "equal_shares", "--no-completion"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["bike\t700\t7", "playground\t200\t4", "library\t100\t3"]
    assert budget_rules.main([str(path)]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["bike\t700\t7", "gym\t400\t6"]
    path.write_text("{}")
    assert budget_rules.main([str(path)]) == 2
    assert "not an election file" in capsys.readouterr().err


def test_equal_effective_votes_go_to_the_cheaper_project_first():
    # equalshares.net's tie-breaking: both projects have 2 effective votes; the cheaper goes first.
    projects = [Project("b700", 700), Project("a600", 600)]
    ballots = [["b700"], ["b700"], ["a600"], ["a600"]]
    result = equal_shares(projects, ballots, 2000, completion="none")
    assert [r.project for r in result.rounds] == ["a600", "b700"]
    assert [r.effective_votes for r in result.rounds] == [2, 2]
