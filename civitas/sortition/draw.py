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

Whoever holds the file could try seeds until a chosen volunteer is seated, so the seed
must not be chosen by anyone: the published file fixes where it will come from (its
``seed`` rule), before it exists. Either a public draw on a stated future date (the
numbers of a national lottery, say), or commit–reveal: named contributors each give the
SHA-256 of a secret, printed in the file; at the draw each reveals the secret, which must
match, and the seed is the SHA-256 of all of them, so one honest contributor is enough to
make it unpredictable. The file also carries the SHA-256 of its own content, so that an
edit is caught even by someone who does not have the published hash at hand (an editor
who recomputes it changes the file's hash, which ``verify --hash`` catches).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

FORMAT = "civitas-sortition-lottery/2"
# A plain draw of N items among a published list (e.g. proposals), same seed mechanism.
ITEMS_FORMAT = "civitas-sortition-items/2"
# Files published before the seed rule and the content hash existed: still readable, so
# that past draws stay checkable (against their published hash, which they need).
LEGACY_FORMATS = ("civitas-sortition-lottery/1", "civitas-sortition-items/1")
LOTTERY_FORMATS = ("civitas-sortition-lottery/1", FORMAT)
ITEMS_FORMATS = ("civitas-sortition-items/1", ITEMS_FORMAT)
# Keys the random stream. Fixed forever: changing it would change every past draw.
STREAM_LABEL = "civitas-sortition-lottery/1"
WEIGHT_TOTAL = 10**12

# Where the seed comes from (the file's ``seed`` rule).
PUBLIC_DRAW = "public_draw"
COMMIT_REVEAL = "commit_reveal"
MINIMUM_CONTRIBUTORS = 2
CONTENT_KEY = "content_sha256"
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class LotteryFileError(ValueError):
    """The file is not a well-formed lottery: it cannot be drawn from."""


class TamperedFileError(LotteryFileError):
    """The file's content does not match the SHA-256 it carries: it was edited after publication."""


class SeedError(ValueError):
    """The seed, or a contributor's secret, cannot be used.

    ``kind``: "empty" (no seed, or an empty secret), "count" (not one secret per
    contributor) or "mismatch" (a secret does not match its commitment); ``index`` is the
    contributor's position in the file.
    """

    def __init__(self, message: str, kind: str, index: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.index = index


def canonical_bytes(document: dict | list) -> bytes:
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
        "format": FORMAT,  # a draft: ``publish_document`` adds the seed rule and the content hash
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
        if document["format"] not in LOTTERY_FORMATS:
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


def content_digest(document: dict) -> str:
    """SHA-256 of the document without its ``content_sha256`` field (which holds this value)."""
    return document_hash({key: value for key, value in document.items() if key != CONTENT_KEY})


def is_items(document: dict) -> bool:
    return document.get("format") in ITEMS_FORMATS


def publish_document(draft: dict, rule: dict) -> dict:
    """The file to publish: the draft (lottery or list), the seed rule, and its content hash."""
    check_seed_rule(rule)
    document = {key: value for key, value in draft.items() if key not in ("seed", CONTENT_KEY)}
    document["format"] = ITEMS_FORMAT if is_items(draft) else FORMAT
    document["seed"] = rule
    document[CONTENT_KEY] = content_digest(document)
    check_published(document)
    return document


def check_published(document: dict) -> None:
    """A published file: well formed, with a seed rule (legacy files excepted) and its own hash intact."""
    if is_items(document):
        check_items_document(document)
    else:
        check_document(document)
    if document["format"] in LEGACY_FORMATS:
        return
    if "seed" not in document or CONTENT_KEY not in document:
        raise LotteryFileError("the file does not state where its seed comes from, or lacks its content hash")
    check_seed_rule(document["seed"])
    if document[CONTENT_KEY] != content_digest(document):
        raise TamperedFileError(
            "the file was changed after publication: its content does not match the SHA-256 it carries"
        )


def parse_file(raw: bytes) -> dict:
    """Parse a published file, refusing any byte that is not the canonical serialisation."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LotteryFileError(f"not a JSON file: {error}") from error
    if not isinstance(document, dict) or canonical_bytes(document) != raw:
        raise LotteryFileError("the file is not in canonical form: it is not the published bytes")
    check_published(document)
    return document


def build_items_document(*, title: str, items: list[dict], count: int) -> dict:
    """The list to draw ``count`` items from; items are {"id", "title"} in a fixed order (a draft)."""
    document = {"format": ITEMS_FORMAT, "title": title, "count": count, "items": items}
    check_items_document(document)
    return document


def check_items_document(document: dict) -> None:
    try:
        if document["format"] not in ITEMS_FORMATS:
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
        raise SeedError("the seed is empty", "empty")
    return normal


# --- Where the seed comes from ---------------------------------------------------------


def commitment(secret: str) -> str:
    """What a contributor publishes before the draw: the SHA-256 (hex) of their secret.

    Surrounding spaces are not part of the secret, so ``printf '%s' SECRET | sha256sum``
    gives the same value.
    """
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def seed_rule(
    *, kind: str, description: str, draw_at: datetime, contributors: list[tuple[str, str]] = ()
) -> dict:
    """The rule written into the file: the source, the time from which the seed may be entered
    (ISO 8601 with its UTC offset) and, for commit–reveal, each contributor's commitment."""
    rule = {"kind": kind, "description": description.strip(), "draw_at": draw_at.isoformat()}
    if kind == COMMIT_REVEAL:
        rule["contributors"] = [
            {"name": name.strip(), "commitment": digest.strip().lower()} for name, digest in contributors
        ]
    check_seed_rule(rule)
    return rule


def rule_draw_at(rule: dict) -> datetime:
    return datetime.fromisoformat(rule["draw_at"])


def check_seed_rule(rule: dict) -> None:
    try:
        kind = rule["kind"]
        expected = {"kind", "description", "draw_at"} | ({"contributors"} if kind == COMMIT_REVEAL else set())
        if kind not in (PUBLIC_DRAW, COMMIT_REVEAL) or set(rule) != expected:
            raise LotteryFileError("the seed rule is neither a public draw nor commit–reveal")
        if rule_draw_at(rule).tzinfo is None:
            raise LotteryFileError("the time of the draw has no UTC offset")
        if kind == PUBLIC_DRAW and not rule["description"].strip():
            raise LotteryFileError("a public draw must be described")
        if kind == COMMIT_REVEAL:
            names = [c["name"] for c in rule["contributors"]]
            digests = [c["commitment"] for c in rule["contributors"]]
            if len(names) < MINIMUM_CONTRIBUTORS or not all(n.strip() for n in names):
                raise LotteryFileError(
                    f"commit–reveal needs {MINIMUM_CONTRIBUTORS} named contributors or more"
                )
            if len(set(names)) != len(names) or len(set(digests)) != len(digests):
                raise LotteryFileError("two contributors share a name or a commitment")
            if not all(_SHA256_HEX.fullmatch(d) for d in digests):
                raise LotteryFileError("a commitment is not a SHA-256 in lowercase hexadecimal")
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        if isinstance(error, LotteryFileError):
            raise
        raise LotteryFileError(f"malformed seed rule: {error!r}") from error


def seed_from_reveals(rule: dict, reveals: list[str]) -> str:
    """The seed of a commit–reveal draw, once every secret matches its commitment.

    SHA-256 over the list of secrets in the file's order: knowing all but one secret says
    nothing about the seed, so a single honest contributor makes it unpredictable.
    """
    contributors = rule["contributors"]
    if len(reveals) != len(contributors):
        raise SeedError(
            f"give {len(contributors)} secrets, one per contributor, in the file's order", "count"
        )
    revealed = [secret.strip() for secret in reveals]
    for index, (secret, contributor) in enumerate(zip(revealed, contributors, strict=True)):
        if not secret:
            raise SeedError(f"the secret of {contributor['name']} is empty", "empty", index)
        if commitment(secret) != contributor["commitment"]:
            message = f"the secret given for {contributor['name']} does not match their commitment"
            raise SeedError(message, "mismatch", index)
    return hashlib.sha256(canonical_bytes(revealed)).hexdigest()


def seed_for(document: dict, values: list[str]) -> str:
    """The seed from what is entered at the draw: the public numbers, or one secret per contributor."""
    rule = document.get("seed")
    if rule and rule["kind"] == COMMIT_REVEAL:
        return seed_from_reveals(rule, values)
    return normalise_seed(" ".join(values))


class SeededStream:
    """Uniform integers from SHA-256 in counter mode, keyed by the lottery hash and the seed."""

    def __init__(self, lottery_hash: str, seed: str):
        key = f"{STREAM_LABEL}\n{lottery_hash}\n{normalise_seed(seed)}"
        self.key = hashlib.sha256(key.encode()).digest()
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
