"""Serial numbers printed on paper forms and ballots, with a check against typos (framework-free).

A serial is written ``000123-47``: the number, then an ISO 7064 mod 97-10 check of it.
A keyer who swaps or mistypes a digit gets a serial whose check does not match, so the
mistake is caught at keying instead of counting the wrong sheet.
"""

from __future__ import annotations

from enum import Enum


class SerialProblem(Enum):
    MISSING = "missing"  # nothing that looks like a serial was typed
    MISTYPED = "mistyped"  # the check digits do not match the number
    NOT_ISSUED = "not_issued"  # a well-formed serial that was never printed


class SerialError(ValueError):
    def __init__(self, problem: SerialProblem):
        super().__init__(problem.value)
        self.problem = problem


def format_serial(number: int) -> str:
    """``000123-47``: the number and its mod 97-10 check."""
    return f"{number:06d}-{98 - (number * 100) % 97:02d}"


def parse_serial(text: str, issued: int) -> int:
    """The number of a typed serial among the ``issued`` first; SerialError otherwise."""
    digits = "".join(character for character in (text or "") if character.isdigit())
    if len(digits) < 3:
        raise SerialError(SerialProblem.MISSING)
    number, check = int(digits[:-2]), digits[-2:]
    if format_serial(number)[-2:] != check:
        raise SerialError(SerialProblem.MISTYPED)
    if not 1 <= number <= issued:
        raise SerialError(SerialProblem.NOT_ISSUED)
    return number
