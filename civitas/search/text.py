"""Turn text into search terms: accent folding, stop words, French and English stems.

Framework-free (no Django import) so that both search backends, the benchmark and the
command line share exactly one definition of a "term"::

    python -m civitas.search.text "Délibération participative"

Each word of a document yields a small set of terms: the French stem of the word and
of its accent-folded form, and the English stem, all folded. A query word matches a
document when the two sets share a term, so "participatif" finds "participative"
(French stem ``particip``) and "deliberation" typed without accents finds
"délibération" (both give ``deliber``). Documents are often in either language and
their language is not recorded, hence both stemmers on every word.
"""

from __future__ import annotations

import re
import sys
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_WORD_LENGTH = 40
# One pair of stemmers per thread: snowballstemmer hands out PyStemmer's C stemmers when
# installed (pyproject), and those are not to be shared between threads.
_local = threading.local()


def _stemmers():
    if not hasattr(_local, "stemmers"):
        _local.stemmers = (snowballstemmer.stemmer("french"), snowballstemmer.stemmer("english"))
    return _local.stemmers


# Words too frequent to tell documents apart; dropping them keeps the index small and
# queries like "le budget de la ville" about the budget and the town.
_STOP_WORDS_TEXT = """
a au aux avec ce ces cet cette dans de des du elle en et est il ils je la le les leur
leurs lui ma mais me mes meme moi mon ne nos notre nous on ou par pas pour qu que qui
sa se ses son sont sur ta te tes toi ton tu un une vos votre vous y l d s n c j m t
an and are as at be by for from has have in is it its of on or that the this to was
were will with
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def fold(text: str) -> str:
    """Lower case without accents: "Délibération" → "deliberation", "Œuvre" → "oeuvre"."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def word_terms(word: str) -> tuple[str, ...]:
    """The terms one lower-cased word stands for (empty for a stop word)."""
    folded = fold(word)
    if not folded or folded in STOP_WORDS or len(folded) > MAX_WORD_LENGTH:
        return ()
    if folded.isdigit():
        return (folded,)
    french, english = _stemmers()
    terms = {fold(french.stemWord(word)), french.stemWord(folded), fold(english.stemWord(word))}
    return tuple(sorted(term for term in terms if term))


def words(text: str) -> list[str]:
    return [match.group(0) for match in _WORD.finditer(text.lower())]


def index_terms(text: str) -> str:
    """The space-separated terms stored in the index for a text."""
    terms: list[str] = []
    for word in words(text):
        terms.extend(word_terms(word))
    return " ".join(terms)


def query_groups(query: str, *, max_words: int = 12) -> list[tuple[str, ...]]:
    """One group of alternative terms per meaningful query word; every group must match."""
    groups: list[tuple[str, ...]] = []
    for word in words(query):
        terms = word_terms(word)
        if terms and terms not in groups:
            groups.append(terms)
        if len(groups) >= max_words:
            break
    return groups


def fts5_query(groups: list[tuple[str, ...]]) -> str:
    """SQLite FTS5 MATCH syntax; terms are [a-z0-9_] only, quoted all the same."""
    return " AND ".join("(" + " OR ".join(f'"{term}"' for term in group) + ")" for group in groups)


def tsquery(groups: list[tuple[str, ...]]) -> str:
    """PostgreSQL to_tsquery syntax for the 'simple' configuration."""
    return " & ".join("(" + " | ".join(group) + ")" for group in groups)


def main(argv: list[str]) -> int:
    text = " ".join(argv) or sys.stdin.read()
    print("terms:", index_terms(text))
    print("query groups:", query_groups(text))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
