"""What the spam scorer looks at: one sample is a profile or a contribution, with what is known
of its account. Framework-free (no Django): the scan, the CLI and the tests build samples from
plain values.

Text goes to character n-grams (they work across French, English, Arabic, Hindi… without a
tokenizer per language); the rest becomes a short vector of structured features. Account
features are all zero when the account is unknown (``account=None``): the shipped starter data
are texts without accounts, so a model trained on them alone gives those features no weight,
and a model retrained on an organization's own moderation history learns them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
KINDS = ("profile", "comment")

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'“”]+", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"\b[a-z0-9-]{2,63}\.(?:com|net|org|info|biz|in|co|io|xyz|site|online|shop)\b", re.I
)
_HTML_LINK = re.compile(r"<\s*a\s+href|\[url=", re.IGNORECASE)
_PHONE = re.compile(r"(?:\+?\d[\s.-]?){9,}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_DIGITS = re.compile(r"\d")


@dataclass(frozen=True)
class AccountInfo:
    """What the platform knows of an account, beyond its texts."""

    nickname: str = ""
    name: str = ""
    email: str = ""
    personal_url: str = ""
    has_avatar: bool = False
    locale: str = ""
    has_signed_in: bool = False
    account_age_days: float = 0.0
    minutes_to_first_contribution: float | None = None  # None: never contributed
    contributions: int = 0
    contributions_with_links: int = 0
    linked_domains: tuple[str, ...] = ()
    reports_received: int = 0


@dataclass(frozen=True)
class Sample:
    """A profile (``text`` is the about text) or a contribution (``text`` is its body)."""

    kind: str
    text: str
    account: AccountInfo | None = field(default=None)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")


@lru_cache(maxsize=1)
def disposable_domains() -> frozenset[str]:
    """The maintained list shipped in ``data/disposable_domains.txt`` (source and licence in its header)."""
    path = DATA_DIR / "disposable_domains.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def is_disposable(email: str) -> bool:
    """True for an address at a listed domain or any subdomain of one."""
    domain = email_domain(email)
    listed = disposable_domains()
    parts = domain.split(".")
    return any(".".join(parts[index:]) in listed for index in range(len(parts) - 1))


def url_domain(url: str) -> str:
    candidate = url if "://" in url else f"http://{url}"
    try:
        host = urlsplit(candidate).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.")


def domains_in(text: str) -> list[str]:
    return [domain for domain in (url_domain(match) for match in _URL.findall(text)) if domain]


def text_of(sample: Sample) -> str:
    """The text the n-grams read: the about text or body, plus the personal URL and linked domains.

    Domains are added as text so that a spam domain seen in training weighs the same wherever
    it appears.
    """
    parts = [sample.text[:MAX_TEXT]]
    account = sample.account
    if account is not None:
        if sample.kind == "profile" and account.personal_url:
            parts.append(account.personal_url)
        if account.linked_domains:
            parts.append(" ".join(sorted(set(account.linked_domains))[:10]))
    return "\n".join(part for part in parts if part)


def texts_of(samples: Sequence[Sample]) -> list[str]:
    """Module-level (not a lambda) so that a pickled pipeline can find it again."""
    return [text_of(sample) for sample in samples]


# Neither the length of a text nor where it was written (profile or comment) is among them: a
# long "about" text is not a sign of spam, and the same words must score the same as a profile
# and as a comment. An earlier model had both, and learned from short legitimate training
# profiles that length meant spam (long civic profiles were reported, comments were not).
TEXT_FEATURES = (
    "url_count",
    "has_url",
    "bare_domain",
    "html_link",
    "mostly_links",
    "phone_number",
    "email_in_text",
    "upper_ratio",
    "digit_ratio",
    "non_latin_ratio",
)
ACCOUNT_FEATURES = (
    "account_known",
    "has_personal_url",
    "disposable_email",
    "nickname_digit_ratio",
    "nickname_long_digits",
    "name_has_digits",
    "name_matches_nickname",
    "has_avatar",
    "has_locale",
    "has_signed_in",
    "account_age_log",
    "contributions_log",
    "link_share",
    "linked_domains_log",
    "reports_log",
    "first_contribution_within_10_min",
    "never_contributed",
)
FEATURE_NAMES = TEXT_FEATURES + ACCOUNT_FEATURES


_LETTER = re.compile(r"[^\W\d_]")
_UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž]")
_NON_LATIN = re.compile(r"[^\W\d_A-Za-zÀ-ÖØ-öø-ɏ]")
MAX_TEXT = 1000  # the first thousand characters say enough, and keep scoring fast


def _letter_shares(text: str) -> tuple[float, float]:
    """Share of capitals and of letters outside the Latin alphabets (regular expressions: fast)."""
    letters = len(_LETTER.findall(text))
    if not letters:
        return 0.0, 0.0
    return len(_UPPER.findall(text)) / letters, len(_NON_LATIN.findall(text)) / letters


def _squash(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", folded)


def _text_vector(sample: Sample) -> list[float]:
    text = sample.text[:MAX_TEXT]
    if not text:
        return [0.0] * len(TEXT_FEATURES)
    urls = _URL.findall(text)
    upper, non_latin = _letter_shares(text)
    return [
        min(len(urls), 5) / 5,
        float(bool(urls)),
        float(bool(_BARE_DOMAIN.search(text)) and not urls),
        float(bool(_HTML_LINK.search(text))),
        sum(len(url) for url in urls) / max(len(text.strip()), 1),
        float(bool(_PHONE.search(text))),
        float(bool(_EMAIL.search(text))),
        upper,
        len(_DIGITS.findall(text)) / max(len(text), 1),
        non_latin,
    ]


def _account_vector(account: AccountInfo | None) -> list[float]:
    if account is None:
        return [0.0] * len(ACCOUNT_FEATURES)
    nickname = account.nickname
    digits = len(_DIGITS.findall(nickname))
    squashed_nickname = _squash(nickname)
    name_parts = [part for part in (_squash(word) for word in account.name.split()) if len(part) >= 3]
    # A nickname made from one's name ("mcurie" for Marie Curie) is a human habit.
    matches = bool(squashed_nickname) and any(
        part in squashed_nickname or squashed_nickname in part for part in name_parts
    )
    contributions = max(account.contributions, 0)
    first = account.minutes_to_first_contribution
    return [
        1.0,
        float(bool(account.personal_url)),
        float(bool(account.email) and is_disposable(account.email)),
        digits / max(len(nickname), 1),
        float(bool(re.search(r"\d{4,}", nickname))),
        float(bool(_DIGITS.search(account.name))),
        float(matches),
        float(account.has_avatar),
        float(bool(account.locale)),
        float(account.has_signed_in),
        math.log1p(max(account.account_age_days, 0.0)) / 8,
        math.log1p(contributions) / 5,
        account.contributions_with_links / contributions if contributions else 0.0,
        math.log1p(len(set(account.linked_domains))) / 3,
        math.log1p(max(account.reports_received, 0)) / 3,
        float(first is not None and first <= 10),
        float(first is None),
    ]


def structured(samples: Sequence[Sample]) -> np.ndarray:
    """One row of ``FEATURE_NAMES`` per sample, every value roughly in [0, 1]."""
    rows = [_text_vector(sample) + _account_vector(sample.account) for sample in samples]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURE_NAMES))


def describe(sample: Sample) -> dict[str, float]:
    """The structured features of one sample by name, for explaining a score."""
    return dict(zip(FEATURE_NAMES, structured([sample])[0].tolist(), strict=True))


def link_count(texts: Iterable[str]) -> tuple[int, list[str]]:
    """How many of the texts carry a link, and the domains linked."""
    with_links, domains = 0, []
    for text in texts:
        found = domains_in(text)
        if found or _HTML_LINK.search(text):
            with_links += 1
        domains += found
    return with_links, domains
