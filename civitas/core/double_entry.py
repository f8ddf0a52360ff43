"""Double entry of paper forms, shared by surveys and citizen panels (framework-free).

Two different people key every form; a form counts only when at least two people keyed
it and every keying of it is identical. Anything else waits: a keying by one person
only, or keyings that differ (until the wrong one is corrected or deleted).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from enum import Enum
from typing import TypeVar

Keying = TypeVar("Keying")


class FormStatus(Enum):
    AGREED = "agreed"
    ONE_PERSON = "one_person"
    DIFFERENT = "different"


def payload_key(payload: dict) -> str:
    """Two payloads are the same keying when their canonical JSON is the same."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


def form_status(
    keyings: Iterable[Keying], *, keyer: Callable[[Keying], object], payload: Callable[[Keying], dict]
) -> FormStatus:
    """The double-entry status of one form, from all its keyings."""
    keyings = list(keyings)
    if len({keyer(keying) for keying in keyings}) < 2:
        return FormStatus.ONE_PERSON
    if len({payload_key(payload(keying)) for keying in keyings}) > 1:
        return FormStatus.DIFFERENT
    return FormStatus.AGREED
