"""Find near-duplicate texts between two sets: the same spam posted again with another link, the
same sentence with one word changed. Framework-free.

Two texts are near-duplicates when they share most of their word trigrams ("shingles"): a
Jaccard similarity of at least ``JACCARD``, or the shorter one (if it has a few trigrams at
least) contained for ``CONTAINMENT`` or more in the longer one. An inverted index of shingles
keeps this to one pass over the shared shingles, not a comparison of every pair.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

JACCARD = 0.5
CONTAINMENT = 0.8
MIN_CONTAINED = 6  # a text of fewer trigrams is compared by Jaccard only ("Merci !" is in many texts)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> frozenset[str]:
    """Word trigrams of the lower-cased text; a text of one or two words is its own shingle."""
    words = _WORD.findall(text.lower())
    if len(words) < 3:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[index : index + 3]) for index in range(len(words) - 2))


def _similar(shared: int, left: int, right: int) -> bool:
    if shared / (left + right - shared) >= JACCARD:
        return True
    smaller = min(left, right)
    return smaller >= MIN_CONTAINED and shared / smaller >= CONTAINMENT


def near_duplicates(queries: Sequence[str], corpus: Sequence[str]) -> dict[int, int]:
    """For each query that has a near-duplicate in ``corpus``: query index → one corpus index."""
    corpus_shingles = [shingles(text) for text in corpus]
    index: dict[str, list[int]] = defaultdict(list)
    for position, found in enumerate(corpus_shingles):
        for shingle in found:
            index[shingle].append(position)
    matches: dict[int, int] = {}
    for query_position, text in enumerate(queries):
        found = shingles(text)
        if not found:
            continue
        shared = Counter(position for shingle in found for position in index.get(shingle, ()))
        for position, count in shared.most_common():
            if _similar(count, len(found), len(corpus_shingles[position])):
                matches[query_position] = position
                break
    return matches
