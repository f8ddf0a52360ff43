"""The published lottery file and the seeded draw — standard library only.

Anyone must be able to re-run the draw with nothing but Python, so this module imports
nothing beyond the standard library (not even the rest of this package).

The lottery file is a JSON document serialised canonically (sorted keys, no spaces,
UTF-8): its SHA-256 is the published hash, and ``sha256sum`` on the file gives the same.
It lists the groups of volunteers (one per answer profile, by pseudonymous code), the
quotas, and the panels as compositions (how many of each group) with integer weights.
Integer weights make the draw exact arithmetic: no float can round differently elsewhere.

The draw: SHA-256 of the file hash and the public seed starts a counter-mode SHA-256
stream; the stream picks a panel with probability weight/total, then, for each group,
that many of its members uniformly, then orders the alternates among the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction

FORMAT = "civitas-sortition-lottery/1"
# A plain draw of N items among a published list (e.g. proposals), same seed mechanism.
ITEMS_FORMAT = "civitas-sortition-items/1"
WEIGHT_TOTAL = 10**12


class LotteryFileError(ValueError):
    """The file is not a well-formed lottery: it cannot be drawn from."""


def canonical_bytes(document: dict) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def document_hash(document: dict) -> str:
    return hashlib.sha256(canonical_bytes(document)).hexdigest()


def integer_weights(probabilities: list[float], total: int = WEIGHT_TOTAL) -> list[int]:
    """Largest-remainder rounding of probabilities to integers adding up to ``total``."""
    mass = sum(probabilities)
    exact = [
        Fraction(p).limit_denominator(10**15) * total / Fraction(mass).limit_denominator(10**15)
        for p in probabilities
    ]
    floors = [int(value) for value in exact]
    missing = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in order[:missing]:
        floors[index] += 1
    return floors


def build_document(
    *,
    title: str,
    features: list[dict],
    groups: list[dict],
    panel_size: int,
    alternates: int,
    compositions: list[list[int]],
    probabilities: list[float],
    method: str,
) -> dict:
    """The lottery document; panels of zero weight after rounding are left out."""
    weights = integer_weights(probabilities)
    panels = [
        {"counts": list(counts), "weight": weight}
        for counts, weight in zip(compositions, weights, strict=True)
        if weight > 0
    ]
    document = {
        "format": FORMAT,
        "title": title,
        "method": method,
        "panel_size": panel_size,
        "alternates": alternates,
        "features": features,
        "groups": groups,
        "panels": panels,
        "weight_total": sum(p["weight"] for p in panels),
    }
    check_document(document)
    return document


def check_document(document: dict) -> None:
    """Structural checks, and every panel must have the panel size and meet every quota."""
    try:
        if document["format"] != FORMAT:
            raise LotteryFileError(f"unknown format {document['format']!r}")
        groups = document["groups"]
        features = document["features"]
        size = document["panel_size"]
        if document["weight_total"] != sum(p["weight"] for p in document["panels"]) or not document["panels"]:
            raise LotteryFileError("the panel weights do not add up to weight_total")
        codes = [code for group in groups for code in group["codes"]]
        if len(set(codes)) != len(codes):
            raise LotteryFileError("a volunteer appears in two groups")
        for number, panel in enumerate(document["panels"], start=1):
            counts = panel["counts"]
            if len(counts) != len(groups) or sum(counts) != size or panel["weight"] <= 0:
                raise LotteryFileError(f"panel {number} does not have {size} members")
            for count, group in zip(counts, groups, strict=True):
                if not 0 <= count <= len(group["codes"]):
                    raise LotteryFileError(f"panel {number} takes more members than a group has")
            for position, feature in enumerate(features):
                for value, (low, high) in feature["quotas"].items():
                    seats = sum(
                        c for c, g in zip(counts, groups, strict=True) if g["profile"][position] == value
                    )
                    if not low <= seats <= high:
                        raise LotteryFileError(
                            f"panel {number} has {seats} seats for {feature['name']}={value}, "
                            f"outside its quota {low}–{high}"
                        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, LotteryFileError):
            raise
        raise LotteryFileError(f"malformed lottery file: {error!r}") from error


def parse_file(raw: bytes) -> dict:
    """Parse a published file, refusing any byte that is not the canonical serialisation."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LotteryFileError(f"not a JSON file: {error}") from error
    if not isinstance(document, dict) or canonical_bytes(document) != raw:
        raise LotteryFileError("the file is not in canonical form: it is not the published bytes")
    if document.get("format") == ITEMS_FORMAT:
        check_items_document(document)
    else:
        check_document(document)
    return document


def build_items_document(*, title: str, items: list[dict], count: int) -> dict:
    """The published list to draw ``count`` items from; items are {"id", "title"} in a fixed order."""
    document = {"format": ITEMS_FORMAT, "title": title, "count": count, "items": items}
    check_items_document(document)
    return document


def check_items_document(document: dict) -> None:
    try:
        if document["format"] != ITEMS_FORMAT:
            raise LotteryFileError(f"unknown format {document['format']!r}")
        ids = [str(item["id"]) for item in document["items"]]
        if len(set(ids)) != len(ids):
            raise LotteryFileError("an item appears twice")
        if not 1 <= document["count"] <= len(ids):
            raise LotteryFileError(f"cannot draw {document['count']} items among {len(ids)}")
    except (KeyError, TypeError) as error:
        raise LotteryFileError(f"malformed list file: {error!r}") from error


def normalise_seed(seed: str) -> str:
    """Spaces are not part of the seed: '3 1 4' and ' 3  1 4 ' draw the same panel."""
    normal = " ".join(seed.split())
    if not normal:
        raise ValueError("the seed is empty")
    return normal


class SeededStream:
    """Uniform integers from SHA-256 in counter mode, keyed by the lottery hash and the seed."""

    def __init__(self, lottery_hash: str, seed: str):
        self.key = hashlib.sha256(f"{FORMAT}\n{lottery_hash}\n{normalise_seed(seed)}".encode()).digest()
        self.counter = 0

    def _block(self) -> int:
        block = hashlib.sha256(self.key + self.counter.to_bytes(8, "big")).digest()
        self.counter += 1
        return int.from_bytes(block, "big")

    def below(self, bound: int) -> int:
        """Uniform in [0, bound): rejection sampling keeps it exactly uniform."""
        if bound < 1:
            raise ValueError("empty range")
        span = 1 << 256
        limit = span - span % bound
        while True:
            value = self._block()
            if value < limit:
                return value % bound


def _choose(stream: SeededStream, items: list[str], count: int) -> list[str]:
    """The first ``count`` items of a seeded Fisher–Yates shuffle, in drawn order."""
    pool = list(items)
    for position in range(count):
        other = position + stream.below(len(pool) - position)
        pool[position], pool[other] = pool[other], pool[position]
    return pool[:count]


@dataclass(frozen=True)
class DrawResult:
    lottery_hash: str
    seed: str
    panel_number: int  # 1-based position of the drawn composition in the file
    panel: list[str]  # sorted codes
    alternates: list[str]  # in order of call


def draw(document: dict, seed: str) -> DrawResult:
    lottery_hash = document_hash(document)
    stream = SeededStream(lottery_hash, seed)
    ticket = stream.below(document["weight_total"])
    number, candidate = 0, document["panels"][0]
    for number, candidate in enumerate(document["panels"], start=1):  # noqa: B007 (kept after break)
        if ticket < candidate["weight"]:
            break
        ticket -= candidate["weight"]
    chosen: list[str] = []
    for group, count in zip(document["groups"], candidate["counts"], strict=True):
        chosen.extend(_choose(stream, group["codes"], count))
    taken = set(chosen)
    rest = [code for group in document["groups"] for code in group["codes"] if code not in taken]
    alternates = _choose(stream, rest, min(document["alternates"], len(rest)))
    return DrawResult(lottery_hash, normalise_seed(seed), number, sorted(chosen), alternates)


@dataclass(frozen=True)
class ItemsDrawResult:
    list_hash: str
    seed: str
    chosen: list[str]  # item ids, in drawn order


def draw_items(document: dict, seed: str) -> ItemsDrawResult:
    """``count`` items uniformly without replacement, in drawn order."""
    list_hash = document_hash(document)
    stream = SeededStream(list_hash, seed)
    ids = [str(item["id"]) for item in document["items"]]
    return ItemsDrawResult(list_hash, normalise_seed(seed), _choose(stream, ids, document["count"]))


def selection_probabilities(document: dict) -> dict[str, Fraction]:
    """Each volunteer's exact probability of being on the panel under this file."""
    total = document["weight_total"]
    result = {}
    for index, group in enumerate(document["groups"]):
        size = len(group["codes"])
        mass = sum(Fraction(p["weight"] * p["counts"][index], size) for p in document["panels"])
        for code in group["codes"]:
            result[code] = mass / total
    return result
