"""Normalise a typed answer so that harmless differences do not fail a human.

"Le Chat", "  chat ", "CHAT." and "chât" all fold to "chat"; so do "l'éléphant" and
"elephant". Framework-free: used by the CAPTCHA and testable on its own.
"""

import re
import unicodedata

# Leading articles, longest first so "de la" wins over "de". Elided forms ("l'", "d'")
# are handled separately because they attach to the next word.
_ARTICLES = {
    "fr": ("de la", "de l", "les", "des", "une", "le", "la", "un", "du"),
    "en": ("the", "an", "a"),
}
_ELIDED = re.compile(r"^(?:l|d)['’]\s*")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold_answer(text: str) -> str:
    """Fold case, accents, punctuation, spacing and one leading article (French or English)."""
    folded = _strip_accents(text.casefold()).replace("œ", "oe").replace("æ", "ae")
    folded = _ELIDED.sub("", folded.strip())
    folded = _NON_WORD.sub(" ", folded)
    folded = _SPACES.sub(" ", folded).strip()
    for articles in _ARTICLES.values():
        for article in articles:
            if folded.startswith(article + " ") and len(folded) > len(article) + 1:
                return folded[len(article) + 1 :].replace(" ", "")
    return folded.replace(" ", "")
