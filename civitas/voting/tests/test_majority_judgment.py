"""Majority judgment: hand-checked elections, tie-breaks at depth 2 and 3, properties.

Grades are numbers, 0 the lowest. Sorted grades of five voters are read at positions
2, 1, 3, 0, 4 (odd n: the centre, then alternately below and above); of four voters at
1, 2, 0, 3 (even n: the lower median first). The comments spell each check out.
"""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civitas.voting import majority_judgment as mj
from civitas.voting.majority_judgment import TallyError, count_grades, majority_grade, rank, rank_ballots


def profile(grades: list[int], size: int) -> list[int]:
    return [grades.count(grade) for grade in range(size)]


def ranks(results) -> dict[str, int]:
    return {result.name: result.rank for result in results}


# --- slow reference: literally removes the median grade again and again -------------------


def reference_key(grades: list[int]) -> tuple[int, ...]:
    remaining = sorted(grades)
    medians = []
    while remaining:
        medians.append(remaining.pop((len(remaining) - 1) // 2))
    return tuple(medians)


def reference_ranks(ballots: dict[str, list[int]]) -> dict[str, int]:
    keys = {name: reference_key(grades) for name, grades in ballots.items()}
    return {name: 1 + sum(other > key for other in keys.values()) for name, key in keys.items()}


# --- hand-checked elections ---------------------------------------------------------------


def test_majority_grade_is_the_lower_median():
    assert majority_grade(profile([0, 1, 2, 3], 4)) == 1  # even: the lower of 1 and 2
    assert majority_grade(profile([0, 3, 3], 4)) == 3
    assert majority_grade([0, 0, 0]) is None


def test_a_hand_checked_election_with_distinct_majority_grades():
    results = rank({"Parc": [0, 1, 2, 2], "Piste": [2, 2, 1, 0], "Halle": [1, 1, 1, 2]})
    # Parc sorted 1,2,2,3,3 → 2; Piste 0,0,1,1,2 → 1; Halle 0,1,2,3,3 → 2, then position
    # 1: Parc 2 > Halle 1.
    assert [(r.name, r.rank, r.majority_grade) for r in results] == [
        ("Parc", 1, 2),
        ("Halle", 2, 2),
        ("Piste", 3, 1),
    ]


def test_tie_broken_at_depth_2_with_an_odd_number_of_voters():
    a = profile([0, 0, 1, 1, 1], 3)  # positions 2, 1 → 1, 0
    b = profile([0, 1, 1, 1, 1], 3)  # positions 2, 1 → 1, 1
    assert ranks(rank({"A": a, "B": b})) == {"B": 1, "A": 2}


def test_tie_broken_at_depth_3_with_an_odd_number_of_voters():
    a = profile([0, 1, 1, 2, 2], 3)  # positions 2, 1, 3 → 1, 1, 2
    b = profile([1, 1, 1, 1, 1], 3)  # → 1, 1, 1
    assert ranks(rank({"A": a, "B": b})) == {"A": 1, "B": 2}


def test_ties_broken_at_depth_2_and_3_with_an_even_number_of_voters():
    # Four voters: positions 1, 2, 0, 3.
    assert ranks(rank({"A": profile([0, 1, 2, 2], 3), "B": profile([1, 1, 1, 2], 3)})) == {"A": 1, "B": 2}
    assert ranks(rank({"A": profile([0, 1, 1, 2], 3), "B": profile([1, 1, 1, 1], 3)})) == {"B": 1, "A": 2}


def test_separates_what_the_plain_majority_gauge_leaves_tied():
    # Same median (1), same share above (2/5) and below (1/5): the plain gauge ties them;
    # position 3 then shows 2 against 3.
    a = profile([0, 1, 1, 2, 3], 4)
    b = profile([0, 1, 1, 3, 3], 4)
    assert ranks(rank({"A": a, "B": b})) == {"B": 1, "A": 2}


def test_only_identical_profiles_tie_and_they_share_a_rank():
    results = rank({"C": [1, 2, 0], "A": [1, 2, 0], "B": [0, 0, 3], "D": [3, 0, 0]})
    assert [(r.name, r.rank) for r in results] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]


def test_one_candidate_and_no_ballot():
    assert [(r.name, r.rank, r.majority_grade) for r in rank({"Seul": [0, 2, 1]})] == [("Seul", 1, 1)]
    assert [(r.rank, r.majority_grade) for r in rank({"A": [0, 0], "B": [0, 0]})] == [(1, None), (1, None)]
    assert rank({}) == []


def test_inconsistent_profiles_are_refused():
    with pytest.raises(TallyError, match="same number of grades"):
        rank({"A": [1, 1], "B": [1, 2]})
    with pytest.raises(TallyError, match="same number of grades"):
        rank({"A": [1, 1], "B": [1, 1, 0]})
    with pytest.raises(TallyError, match="negative"):
        rank({"A": [-1, 3], "B": [1, 1]})


def test_counting_is_a_bincount_of_each_column():
    ballots = np.array([[0, 2], [1, 2], [1, 0]])
    assert count_grades(ballots, 3).tolist() == [[1, 2, 0], [1, 0, 2]]
    with pytest.raises(TallyError, match="between 0 and 2"):
        count_grades(np.array([[0, 3]]), 3)


# --- properties ---------------------------------------------------------------------------


@st.composite
def elections(draw, min_candidates=1):
    size = draw(st.integers(2, 6))
    candidates = draw(st.integers(min_candidates, 5))
    voters = draw(st.integers(1, 12))
    ballot = st.lists(st.integers(0, size - 1), min_size=candidates, max_size=candidates)
    ballots = draw(st.lists(ballot, min_size=voters, max_size=voters))
    return size, [f"c{index}" for index in range(candidates)], ballots


@settings(max_examples=300, deadline=None)
@given(elections())
def test_closed_form_agrees_with_removing_medians_one_by_one(election):
    size, names, ballots = election
    by_candidate = {name: [ballot[index] for ballot in ballots] for index, name in enumerate(names)}
    assert ranks(rank_ballots(names, np.array(ballots), size)) == reference_ranks(by_candidate)


@settings(max_examples=300, deadline=None)
@given(elections(min_candidates=2), st.data())
def test_a_voter_grading_a_above_everyone_cannot_make_a_lose_rank(election, data):
    # "Above everyone" as a ballot can say it most strongly: A the highest grade, every
    # other candidate the lowest. (A milder ballot can let a rival overtake A: see below.)
    size, names, ballots = election
    favourite = data.draw(st.sampled_from(names))
    new_ballot = [size - 1 if name == favourite else 0 for name in names]
    before = ranks(rank_ballots(names, np.array(ballots), size))[favourite]
    after = ranks(rank_ballots(names, np.array([*ballots, new_ballot]), size))[favourite]
    assert after <= before


def test_a_milder_ballot_for_a_can_still_lift_a_rival_past_a():
    # Found by hypothesis, and what the rule says: A 1,1 (→ 1) leads B 0,2 (→ 0); a third
    # voter gives A 3 and B 2: A 1,1,3 → 1 but B 0,2,2 → 2. The third voter did prefer A,
    # yet B's median moved up more.
    ballots = np.array([[1, 0], [1, 2]])
    assert ranks(rank_ballots(["A", "B"], ballots, 4)) == {"A": 1, "B": 2}
    assert ranks(rank_ballots(["A", "B"], np.vstack([ballots, [3, 2]]), 4)) == {"B": 1, "A": 2}


@settings(max_examples=200, deadline=None)
@given(elections(), st.randoms())
def test_renaming_and_reordering_candidates_changes_nothing(election, random):
    size, names, ballots = election
    order = list(range(len(names)))
    random.shuffle(order)
    renamed = {name: f"z{random.randrange(1000)}-{name}"[::-1] for name in names}
    shuffled = np.array(ballots)[:, order]
    before = ranks(rank_ballots(names, np.array(ballots), size))
    after = ranks(rank_ballots([renamed[names[index]] for index in order], shuffled, size))
    assert {renamed[name]: place for name, place in before.items()} == after


# --- ballot files and the command line ---------------------------------------------------


def write(tmp_path, text: str, newline="\n"):
    path = tmp_path / "ballots.csv"
    path.write_bytes(text.replace("\n", newline).encode())
    return str(path)


ELECTION = "Parc,Piste,Halle\n4,1,3\n6,2,5\n3,0,4\n5,6,4\n"


@pytest.mark.parametrize("newline", ["\n", "\r\n"])  # the fast byte reader, then the csv module
def test_command_line_prints_rank_name_and_majority_grade(tmp_path, capsys, newline):
    assert mj.main([write(tmp_path, ELECTION, newline)]) == 0
    # Parc 3,4,5,6 → 4; Halle 3,4,4,5 → 4, then position 2: Parc 5 > Halle 4; Piste → 1.
    assert capsys.readouterr().out == "1\tParc\t4\n2\tHalle\t4\n3\tPiste\t1\n"


def test_command_line_shares_a_rank_and_prints_mentions(tmp_path, capsys):
    assert mj.main([write(tmp_path, "A,B,C\n6,6,0\n0,0,0\n6,6,1\n"), "--mentions"]) == 0
    assert capsys.readouterr().out == "1\tA\tExcellent\n1\tB\tExcellent\n3\tC\tÀ rejeter\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A,B\n1,2\n3\n", "line 3: 1 grades for 2 candidates"),
        ("A,B\n1,2\n3,bon\n", "line 3, column 2: 'bon' is not an integer grade"),
        ("A,B\n1,7\n", "line 2, column 2: grade 7 is outside 0..6"),
        ("A,B\n1,-1\n", "line 2, column 2: grade -1 is outside 0..6"),
        ("A,A\n1,2\n", "line 1: candidate names must be distinct"),
        ("A,,B\n1,2,3\n", "line 1: the header must name every candidate"),
        ("A,B\n", "no ballots after the header row"),
        ("A,B\n\n\n", "no ballots after the header row"),
        ("", "line 1: the header must name every candidate"),
    ],
)
def test_command_line_refuses_a_bad_file(tmp_path, capsys, text, message):
    assert mj.main([write(tmp_path, text)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_command_line_checks_the_grade_scale(tmp_path, capsys):
    assert mj.main([write(tmp_path, "A\n3\n"), "--grades", "3"]) == 2
    assert "grade 3 is outside 0..2" in capsys.readouterr().err
    assert mj.main([write(tmp_path, "A\n1\n"), "--grades", "3", "--mentions"]) == 2
    assert mj.main([str(tmp_path / "missing.csv")]) == 2


def test_runs_as_a_module(tmp_path):
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "civitas.voting.majority_judgment", write(tmp_path, ELECTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[0] == "1\tParc\t4"


def test_fast_reader_matches_the_csv_reader_on_many_ballots():
    rng = np.random.default_rng(6)
    ballots = rng.integers(0, 7, size=(500, 4))
    body = "\n".join(",".join(str(grade) for grade in row) for row in ballots)
    names, fast = mj.read_ballot_file(("a,b,c,d\n" + body + "\n").encode(), 7)
    _, slow = mj.read_ballot_file(("a,b,c,d\r\n" + body.replace("\n", "\r\n")).encode(), 7)
    assert names == ["a", "b", "c", "d"]
    assert fast.tolist() == slow.tolist() == ballots.tolist()


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 9), st.integers(2, 10), st.integers(0, 30), st.integers(1, 8), st.integers(0, 2**32 - 1)
)
def test_counting_by_pairs_and_blocks_equals_counting_one_by_one(candidates, size, voters, block, seed):
    ballots = np.random.default_rng(seed).integers(0, size, size=(voters, candidates)).astype(np.uint8)
    expected = [
        [int((ballots[:, column] == grade).sum()) for grade in range(size)] for column in range(candidates)
    ]
    assert count_grades(ballots, size).tolist() == expected
    assert count_grades(ballots, size, block_rows=block).tolist() == expected


def test_counting_many_candidates_one_cell_per_grade_by_blocks():
    # 1,400 candidates × 10 grades: 700 pairs × 100 cells do not fit 16 bits, the other path counts.
    ballots = np.random.default_rng(7).integers(0, 10, size=(30, 1400)).astype(np.uint8)
    expected = [[int((ballots[:, column] == grade).sum()) for grade in range(10)] for column in range(1400)]
    assert count_grades(ballots, 10, block_rows=7).tolist() == expected


def test_every_line_ending_a_spreadsheet_or_python_writes_takes_the_fast_path(monkeypatch):
    import csv as csv_module
    import io

    import numpy as np

    from civitas.voting import majority_judgment as mj

    rng = np.random.default_rng(7)
    ballots = rng.integers(0, 7, size=(500, 4))
    for line_end in ("\n", "\r\n"):
        buffer = io.StringIO(newline="")
        writer = csv_module.writer(buffer, lineterminator=line_end)
        writer.writerow(["A", "B", "C", "D"])
        writer.writerows(ballots.tolist())
        data = buffer.getvalue().encode()

        def slow(*args, line_end=line_end, **kwargs):
            raise AssertionError(f"the slow path was taken for {line_end!r} line ends")

        with monkeypatch.context() as patch:
            patch.setattr(mj, "_read_rows_slowly", slow)
            names, read = mj.read_ballot_file(data, 7)
        assert names == ["A", "B", "C", "D"] and np.array_equal(read, ballots)
        # Without the final line end too.
        names, read = mj.read_ballot_file(data.removesuffix(line_end.encode()), 7)
        assert np.array_equal(read, ballots)
