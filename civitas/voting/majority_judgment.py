"""Majority judgment tally (Balinski & Laraki), framework-free: NumPy and the standard library.

Every voter grades every candidate on a common scale of G grades, ``0`` the lowest ("À
rejeter") to ``G - 1`` the highest ("Excellent"); an ungraded candidate counts as the
lowest grade, so every candidate has the same number of grades. A candidate's *merit
profile* is the count of each grade; its *majority grade* is the lower median of its
grades.

Ranking, as mieuxvoter.fr applies it: candidates are ordered by majority grade; between
tied candidates one median grade is removed from each and the next median is compared,
again and again, so that only identical profiles tie exactly.

Closed form
    Sort a candidate's n grades ascending, ``g[0] <= … <= g[n-1]``. Removing the lower
    median again and again visits the positions in a fixed order that depends only on n:
    for n = 2m + 1 it is m, m-1, m+1, m-2, m+2, …; for n = 2m it is m-1, m, m-2, m+1, …
    (the centre outwards, the lower side first when two are equally far). Comparing two
    candidates is therefore comparing their sorted grades at the first position of that
    order where they differ. Sorted grades are constant on the runs given by the
    cumulative counts, so it suffices to walk the at most 2G runs common to both profiles,
    take in each run where they differ the position closest to the centre, and keep the
    earliest one: O(G) per comparison, whatever the number of voters, instead of popping
    n grades one by one.

Counting 1,000,000 ballots × 20 candidates is ``np.bincount`` over pairs of grades, by
blocks of rows (see :func:`count_grades`).
NumPy is imported only where ballots are counted, so that ranking from counts (what the
sealed tally and ``python -m civitas.recount`` do) needs the standard library alone.

Command line::

    python -m civitas.voting.majority_judgment FILE.csv [--grades G] [--mentions]

FILE.csv has a header row of candidate names and one row per ballot of integer grades
0..G-1 (G = 7 by default, the seven French mentions). Prints one line per candidate in
rank order, ``rank<TAB>name<TAB>majority grade`` (tied candidates share a rank); with
``--mentions`` the grade is printed as its French mention (G = 7 only).
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

# Highest first, as ballots show them; grade number = G - 1 - index.
FRENCH_MENTIONS = ("Excellent", "Très bien", "Bien", "Assez bien", "Passable", "Insuffisant", "À rejeter")


class TallyError(ValueError):
    """Input that cannot be tallied; the message says what and where."""


@dataclass(frozen=True)
class CandidateResult:
    name: str
    rank: int  # 1 for the best; tied candidates share a rank (1, 1, 3, …)
    majority_grade: int | None  # None when there is no ballot at all
    profile: tuple[int, ...]  # count of each grade, index = grade (0 the lowest)


# Rows counted at a time: np.bincount widens its input to 8-byte integers, so counting a
# million ballots at once would hold 8 bytes per grade; by blocks the extra memory stays a
# few megabytes beside the ballots, and the blocks fit in cache, which is faster too.
BLOCK_ROWS = 1 << 16


def count_grades(ballots: np.ndarray, grades: int, *, block_rows: int = BLOCK_ROWS) -> np.ndarray:
    """Merit profiles of a (ballots × candidates) array of grades: a (candidates × grades) array.

    Candidates are counted two at a time: ``np.bincount`` over the cell
    ``(grade_a * G + grade_b) + pair * G²`` of each pair of columns counts half as many
    values as one cell per grade, and each profile is a margin of its pair's joint counts.
    """
    import numpy as np

    ballots = np.asarray(ballots)
    if ballots.ndim != 2:
        raise TallyError("ballots must be a two-dimensional array (one row per ballot)")
    if ballots.size and (ballots.min() < 0 or ballots.max() >= grades):
        raise TallyError(f"grades must be between 0 and {grades - 1}")
    count, candidates = ballots.shape
    pairs = -(-candidates // 2)
    if pairs * grades * grades > np.iinfo(np.uint16).max:
        offsets = np.arange(candidates, dtype=np.int64) * grades
        profiles = np.zeros(candidates * grades, dtype=np.int64)
        for first in range(0, count, block_rows):
            cells = ballots[first : first + block_rows].astype(np.int64) + offsets
            profiles += np.bincount(cells.ravel(), minlength=candidates * grades)
        return profiles.reshape(candidates, grades)
    pair_offsets = np.arange(pairs, dtype=np.uint16) * (grades * grades)
    joint = np.zeros(pairs * grades * grades, dtype=np.int64)
    for first in range(0, count, block_rows):
        block = ballots[first : first + block_rows]
        if candidates % 2:  # a dummy last candidate, dropped below
            block = np.hstack([block, np.zeros((len(block), 1), dtype=block.dtype)])
        paired = block.reshape(len(block), pairs, 2)
        cells = paired[:, :, 0].astype(np.uint16)
        cells *= grades
        # Grades are checked to lie in 0..G-1 above, so the narrowing cast loses nothing.
        np.add(cells, paired[:, :, 1], out=cells, casting="unsafe")
        cells += pair_offsets
        joint += np.bincount(cells.ravel(), minlength=pairs * grades * grades)
    # joint[p, a, b]: ballots giving a to candidate 2p and b to candidate 2p + 1.
    joint = joint.reshape(pairs, grades, grades)
    profiles = np.stack([joint.sum(axis=2), joint.sum(axis=1)], axis=1).reshape(2 * pairs, grades)
    return profiles[:candidates]


def majority_grade(profile: Sequence[int]) -> int | None:
    """The lower median grade of a merit profile, None for an empty profile."""
    total = sum(profile)
    if total == 0:
        return None
    return _grade_at(profile, (total - 1) // 2)


def _grade_at(profile: Sequence[int], position: int) -> int:
    seen = 0
    for grade, count in enumerate(profile):
        seen += count
        if position < seen:
            return grade
    raise IndexError(position)


def _order_of(position: int, total: int) -> int:
    """When removing lower medians reaches this position of the sorted grades (0 = first)."""
    middle = total // 2
    if total % 2:  # centre m, then m-1, m+1, m-2, …
        return 2 * (middle - position) - 1 if position < middle else 2 * (position - middle)
    # centre m-1, then m, m-2, m+1, …
    return 2 * (middle - 1 - position) if position < middle else 2 * (position - middle) + 1


def _closest_to_centre(low: int, high: int, total: int) -> int:
    """The position of [low, high) reached first by removing lower medians."""
    centre = (total - 1) // 2
    if low <= centre < high:
        return centre
    return high - 1 if high - 1 < centre else low


def compare_profiles(first: Sequence[int], second: Sequence[int]) -> int:
    """1 if ``first`` ranks above ``second``, -1 if below, 0 only for identical profiles."""
    total = sum(first)
    if sum(second) != total:
        raise TallyError("candidates must have the same number of grades (ungraded counts as the lowest)")
    best_order, verdict = None, 0
    # Walk both sorted grade lists run by run: at each step the current run ends where
    # either profile moves on to its next grade.
    grade_a = grade_b = 0
    end_a, end_b = first[0] if first else 0, second[0] if second else 0
    position = 0
    while position < total:
        while end_a <= position:
            grade_a += 1
            end_a += first[grade_a]
        while end_b <= position:
            grade_b += 1
            end_b += second[grade_b]
        run_end = min(end_a, end_b)
        if grade_a != grade_b:
            order = _order_of(_closest_to_centre(position, run_end, total), total)
            if best_order is None or order < best_order:
                best_order, verdict = order, (1 if grade_a > grade_b else -1)
        position = run_end
    return verdict


def rank(profiles: Mapping[str, Sequence[int]]) -> list[CandidateResult]:
    """Candidates in rank order, best first; identical profiles share a rank.

    Ties between identical profiles are listed by name so the output is reproducible.
    """
    if not profiles:
        return []
    lengths = {len(profile) for profile in profiles.values()}
    if len(lengths) != 1:
        raise TallyError("every merit profile must have the same number of grades")
    if any(count < 0 for profile in profiles.values() for count in profile):
        raise TallyError("grade counts cannot be negative")
    clean = {name: tuple(int(count) for count in profile) for name, profile in profiles.items()}
    if len({sum(profile) for profile in clean.values()}) != 1:
        raise TallyError("candidates must have the same number of grades (ungraded counts as the lowest)")
    by_name = sorted(clean)
    better_first = functools.cmp_to_key(lambda a, b: compare_profiles(clean[b], clean[a]))
    ordered = sorted(by_name, key=lambda name: better_first(name))
    results: list[CandidateResult] = []
    for index, name in enumerate(ordered):
        tied_with_previous = index > 0 and clean[name] == clean[ordered[index - 1]]
        place = results[-1].rank if tied_with_previous else index + 1
        results.append(CandidateResult(name, place, majority_grade(clean[name]), clean[name]))
    return results


def rank_ballots(names: Sequence[str], ballots: np.ndarray, grades: int) -> list[CandidateResult]:
    """Count then rank a (ballots × candidates) array of grades."""
    import numpy as np

    if len(set(names)) != len(names):
        raise TallyError("candidate names must be distinct")
    ballots = np.asarray(ballots)
    if ballots.ndim == 2 and ballots.shape[1] != len(names):
        raise TallyError(f"{len(names)} candidates but ballots have {ballots.shape[1]} grades")
    counts = count_grades(ballots.reshape(-1, len(names)), grades)
    return rank({name: counts[index].tolist() for index, name in enumerate(names)})


# --- reading a ballot file -------------------------------------------------------------


def read_ballot_file(data: bytes, grades: int) -> tuple[list[str], np.ndarray]:
    """Candidate names and the (ballots × candidates) array of a CSV ballot file.

    Ballots of one-digit grades on ``\\n`` or ``\\r\\n`` lines (the common case, G <= 10) are
    read as raw bytes in one pass; anything else goes through the csv module, which also
    explains any error with its line number.
    """
    text_start = data.find(b"\n") + 1
    if text_start == 0:
        text_start = len(data)
    try:
        header_line = data[:text_start].decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as error:
        raise TallyError(f"line 1: the header is not UTF-8 ({error.reason})") from error
    names = next(csv.reader([header_line]), [])
    names = [name.strip() for name in names]
    if not names or any(not name for name in names):
        raise TallyError("line 1: the header must name every candidate")
    if len(set(names)) != len(names):
        raise TallyError("line 1: candidate names must be distinct")
    ballots = _read_one_digit_rows(data[text_start:], len(names), grades)
    if ballots is None:
        ballots = _read_rows_slowly(data[text_start:].decode("utf-8", "replace"), len(names), grades)
    return names, ballots


def _read_one_digit_rows(body: bytes, candidates: int, grades: int) -> np.ndarray | None:
    """One-digit grades as raw bytes, with ``\n`` or ``\r\n`` line ends (spreadsheets and
    Python's csv module write the latter): None when the file has any other shape."""
    import numpy as np

    if grades > 10:
        return None
    first_end = body.find(b"\n")
    ending = b"\r\n" if first_end > 0 and body[first_end - 1 : first_end] == b"\r" else b"\n"
    row_width = 2 * candidates - 1 + len(ending)  # "d,d,…,d" and the line end
    if body and not body.endswith(ending):
        body += ending
    raw = np.frombuffer(body, dtype=np.uint8)
    if raw.size % row_width:
        return None
    rows = raw.reshape(-1, row_width)
    commas = rows[:, 1 : 2 * candidates - 1 : 2]
    line_ends = rows[:, 2 * candidates - 1 :]
    expected_end = np.frombuffer(ending, dtype=np.uint8)
    if not (np.all(commas == ord(",")) and np.all(line_ends == expected_end)):
        return None
    digits = rows[:, 0 : 2 * candidates - 1 : 2]
    if digits.size and (digits.min() < ord("0") or digits.max() >= ord("0") + grades):
        return None  # the slow path names the faulty line
    return digits - np.uint8(ord("0"))


def _read_rows_slowly(text: str, candidates: int, grades: int) -> np.ndarray:
    import numpy as np

    rows: list[list[int]] = []
    for line_number, row in enumerate(csv.reader(io.StringIO(text)), start=2):
        if not row or all(not cell.strip() for cell in row):
            continue  # blank line
        if len(row) != candidates:
            raise TallyError(f"line {line_number}: {len(row)} grades for {candidates} candidates")
        grades_of_row = []
        for column, cell in enumerate(row, start=1):
            try:
                grade = int(cell.strip())
            except ValueError:
                where = f"line {line_number}, column {column}"
                raise TallyError(f"{where}: {cell!r} is not an integer grade") from None
            if not 0 <= grade < grades:
                raise TallyError(
                    f"line {line_number}, column {column}: grade {grade} is outside 0..{grades - 1}"
                )
            grades_of_row.append(grade)
        rows.append(grades_of_row)
    return np.array(rows, dtype=np.uint8).reshape(-1, candidates)


# --- command line --------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Majority judgment ranking of a CSV ballot file.")
    parser.add_argument("file", help="CSV: header of candidate names, one row of grades 0..G-1 per ballot")
    parser.add_argument("--grades", type=int, default=len(FRENCH_MENTIONS), help="number of grades")
    parser.add_argument("--mentions", action="store_true", help="print the French mention (needs G = 7)")
    args = parser.parse_args(argv)
    if args.grades < 2:
        print("error: --grades must be at least 2", file=sys.stderr)
        return 2
    if args.mentions and args.grades != len(FRENCH_MENTIONS):
        print("error: --mentions needs the seven grades of the French mentions", file=sys.stderr)
        return 2
    try:
        with open(args.file, "rb") as handle:
            names, ballots = read_ballot_file(handle.read(), args.grades)
        if len(ballots) == 0:
            # A ranking of nobody's grades would look like a result; refuse it.
            raise TallyError("no ballots after the header row")
        results = rank_ballots(names, ballots, args.grades)
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except TallyError as error:
        print(f"error: {args.file}: {error}", file=sys.stderr)
        return 2
    for result in results:
        grade = result.majority_grade
        if grade is None:
            shown = "-"
        elif args.mentions:
            shown = FRENCH_MENTIONS[args.grades - 1 - grade]
        else:
            shown = str(grade)
        print(f"{result.rank}\t{result.name}\t{shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
