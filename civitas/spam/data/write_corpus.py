"""Build ``corpus.csv``: legitimate and spam profiles and comments of every length, from the
hand-written building blocks of ``corpus_blocks_ham.py`` and ``corpus_blocks_spam.py`` (CC0).

``write_ham.py`` made short one- or two-sentence texts; a model trained on those alone learned
that a long "about" text is spam. This corpus adds profiles and comments from a few words to
well over a thousand characters (an association describing its work, an elected official, a
resident arguing about a consultation, a budget or a prison), and varied spam in French and
English.

Every list of building blocks is split the same way as in ``write_ham.py``: every fourth block
is reserved for the held-out split, so held-out texts are made only of sentences training never
saw. Re-running with the same blocks rebuilds the file byte for byte (fixed seed).

Columns: ``label;kind;split;text`` (``ham`` or ``spam``; ``profile`` or ``comment``;
``train`` or ``heldout``). Run: ``python -m civitas.spam.data.write_corpus``.
"""

from __future__ import annotations

import random
import re
import string
from pathlib import Path

from civitas.spam.data import corpus_blocks_ham as ham
from civitas.spam.data import corpus_blocks_spam as spam

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "corpus.csv"
SEED = 20261206
SIZES = {  # (train, heldout) per label and kind
    ("ham", "profile"): (1600, 500),
    ("ham", "comment"): (1600, 500),
    ("spam", "profile"): (500, 160),
    ("spam", "comment"): (500, 160),
}
SLUGS = ["bellevue", "velo-en-ville", "amap-coteaux", "parloirs-solidaires", "riverside", "quartier-nord"]


def split_blocks(blocks: list[str], heldout: bool) -> list[str]:
    """Every fourth block is reserved for the held-out split."""
    return [block for index, block in enumerate(blocks) if (index % 4 == 3) == heldout]


def _split_all(pools: dict[str, list[str]], heldout: bool) -> dict[str, list[str]]:
    return {name: split_blocks(blocks, heldout) for name, blocks in pools.items()}


def _fill(rng: random.Random, text: str) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        return rng.choice(SLUGS) if name == "slug" else rng.choice(ham.SLOTS[name])

    return re.sub(r"\{(\w+)\}", value, text)


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…:," else f"{text}."


class Language:
    """The blocks of one language, on one side of the split."""

    def __init__(self, prefix: str, heldout: bool):
        pick = lambda name: getattr(ham, f"{prefix}_{name}")  # noqa: E731
        self.openings = _split_all(pick("OPENINGS"), heldout)
        self.civic = _split_all(pick("CIVIC"), heldout)
        self.practical = split_blocks(pick("PRACTICAL"), heldout)
        self.closings = split_blocks(pick("CLOSINGS"), heldout)
        self.short_profiles = split_blocks(pick("SHORT_PROFILES"), heldout)
        self.comment_openers = split_blocks(pick("COMMENT_OPENERS"), heldout)
        self.comment_closings = split_blocks(pick("COMMENT_CLOSINGS"), heldout)
        self.short_comments = split_blocks(pick("SHORT_COMMENTS"), heldout)

    def civic_sentences(self, rng: random.Random, count: int) -> list[str]:
        """``count`` sentences on one to three themes, or on as many as a long text needs."""
        themes = rng.sample(sorted(self.civic), k=len(self.civic))
        wanted_themes = rng.choice([1, 1, 2, 3])
        pool: list[str] = []
        for index, theme in enumerate(themes):
            if index >= wanted_themes and len(pool) >= count:
                break
            pool += self.civic[theme]
        return rng.sample(pool, k=min(count, len(pool)))


def _ham_profile(rng: random.Random, lang: Language) -> str:
    if rng.random() < 0.12:
        return _fill(rng, rng.choice(lang.short_profiles))
    kind = rng.choice(sorted(lang.openings))
    parts = [rng.choice(lang.openings[kind])]
    parts += lang.civic_sentences(rng, rng.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 10]))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        parts.append(rng.choice(lang.practical))
    if rng.random() < 0.4:
        parts.append(rng.choice(lang.closings))
    return _fill(rng, " ".join(_sentence(part) for part in dict.fromkeys(parts)))


def _ham_comment(rng: random.Random, lang: Language) -> str:
    if rng.random() < 0.15:
        return _fill(rng, rng.choice(lang.short_comments))
    parts = [rng.choice(lang.comment_openers)] if rng.random() < 0.5 else []
    parts += lang.civic_sentences(rng, rng.choice([1, 1, 1, 2, 2, 3, 4, 6, 9]))
    if rng.random() < 0.35:
        parts.append(rng.choice(lang.comment_closings))
    text = " ".join(_sentence(part) for part in parts)
    return _fill(rng, text.replace(",.", ","))


class SpamBlocks:
    def __init__(self, prefix: str, heldout: bool):
        self.offers = _split_all(getattr(spam, f"{prefix}_OFFERS"), heldout)
        self.calls = split_blocks(getattr(spam, f"{prefix}_CALLS"), heldout)
        self.hijacks = split_blocks(getattr(spam, f"{prefix}_HIJACKS"), heldout)
        self.promo = split_blocks(getattr(spam, f"{prefix}_PROMO"), heldout)
        self.businesses = split_blocks(getattr(spam, f"{prefix}_BUSINESSES"), heldout)
        self.names = split_blocks(spam.BUSINESS_NAMES, heldout)
        self.cities = split_blocks(spam.CITIES, heldout)
        self.words = split_blocks(spam.DOMAIN_WORDS, heldout)
        self.tlds = split_blocks(spam.DOMAIN_TLDS, heldout)
        self.shorteners = split_blocks(spam.SHORTENERS, heldout)

    def url(self, rng: random.Random) -> str:
        if rng.random() < 0.2:
            code = "".join(rng.choices(string.ascii_letters + string.digits, k=7))
            return rng.choice(self.shorteners).format(code=code)
        words = rng.sample(self.words, k=2)
        prefix = "www." if rng.random() < 0.4 else ""
        number = str(rng.randint(1, 99)) if rng.random() < 0.3 else ""
        host = f"{prefix}{'-'.join(words)}{number}"
        path = rng.choice(
            ["", "/", "/promo", "/fr/offre", "/buy-now", "/?ref=" + str(rng.randint(100, 9999))]
        )
        return f"https://{host}.{rng.choice(self.tlds)}{path}"

    def link(self, rng: random.Random, anchor: str) -> str:
        url = self.url(rng)
        form = rng.random()
        if form < 0.6:
            return url
        if form < 0.85:
            return f'<a href="{url}">{anchor}</a>'
        return f"[url={url}]{anchor}[/url]"


def _spam_text(rng: random.Random, blocks: SpamBlocks, kind: str) -> str:
    roll = rng.random()
    if kind == "profile" and roll < 0.15:
        # Link-only profiles, often with a keyword or two.
        links = [blocks.url(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
        keyword = rng.choice(["", "", "SEO", "casino", "crypto", "escort", "pharmacy", "prêt rapide"])
        return " ".join([keyword, *links]).strip()
    if roll < (0.45 if kind == "profile" else 0.25):
        business = rng.choice(blocks.businesses).format(
            name=rng.choice(blocks.names), city=rng.choice(blocks.cities)
        )
        promo = rng.sample(blocks.promo, k=min(len(blocks.promo), rng.choice([0, 1, 2, 3, 5])))
        parts = [_sentence(business), *(_sentence(sentence) for sentence in promo)]
        if rng.random() < 0.5:
            parts.append(blocks.link(rng, business.split(" is ")[0].split(" est ")[0]))
        return " ".join(parts)
    category = rng.choice(sorted(blocks.offers))
    offers = rng.sample(
        blocks.offers[category], k=min(len(blocks.offers[category]), rng.choice([1, 1, 2, 3]))
    )
    parts = [_sentence(offer) for offer in offers]
    if rng.random() < (0.5 if kind == "profile" else 0.2):
        # A business describing itself, sometimes at length and without any link.
        promo = rng.sample(blocks.promo, k=min(len(blocks.promo), rng.choice([1, 2, 3, 4, 6])))
        parts += [_sentence(sentence) for sentence in promo]
    if kind == "comment" and rng.random() < 0.35:
        parts.insert(0, rng.choice(blocks.hijacks))
    if rng.random() < 0.8:
        parts.append(rng.choice(blocks.calls))
    anchor = offers[0].split(",")[0][:40]
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
        parts.append(blocks.link(rng, anchor))
    text = " ".join(parts)
    if rng.random() < 0.1:
        text = text.upper()
    return text


def build() -> list[tuple[str, str, str, str]]:
    """Rows (label, kind, split, text), deterministic."""
    rng = random.Random(SEED)
    rows: list[tuple[str, str, str, str]] = []
    for split, heldout in (("train", False), ("heldout", True)):
        side = 1 if heldout else 0
        languages = {"fr": Language("FR", heldout), "en": Language("EN", heldout)}
        spam_blocks = {"fr": SpamBlocks("FR", heldout), "en": SpamBlocks("EN", heldout)}
        for (label, kind), counts in SIZES.items():
            made: set[str] = set()
            attempts = 0
            while len(made) < counts[side] and attempts < counts[side] * 50:
                attempts += 1
                language = "fr" if rng.random() < 0.65 else "en"
                if label == "spam":
                    text = _spam_text(rng, spam_blocks[language], kind)
                elif kind == "profile":
                    text = _ham_profile(rng, languages[language])
                else:
                    text = _ham_comment(rng, languages[language])
                made.add(text.replace("\n", " ").replace(";", ","))
            rows += [(label, kind, split, text) for text in sorted(made)]
    return rows


def main() -> None:
    rows = build()
    with OUTPUT.open("w", encoding="utf-8") as handle:
        handle.write(
            "# Written by the Civitas team (CC0); regenerate with python -m civitas.spam.data.write_corpus\n"
        )
        for row in rows:
            handle.write(";".join(row) + "\n")
    for label in ("ham", "spam"):
        for kind in ("profile", "comment"):
            for split in ("train", "heldout"):
                count = sum(1 for row in rows if row[:3] == (label, kind, split))
                print(f"{label} {kind} {split}: {count}")


if __name__ == "__main__":
    main()
