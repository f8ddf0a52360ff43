"""One person, whether they sign online or on paper (framework-free).

An identity provider names a person by its ``sub``; a paper sheet names them by what
is written on it. To count a person once across both, both are turned into the same
*person digest*: a keyed hash of the identity pivot as France's identity services define
it (family name, given names, birth date, birth place), after folding case, accents,
hyphens and apostrophes the way a name is keyed from handwriting.

The key is derived from the installation's ballot secret, which is outside the
database: a copy of the database cannot test a guessed identity against a digest. The
digest is the same in every petition; the acts that use it hash it again with their own
random reference (:mod:`civitas.components.petitions.pseudonyms`), so two petitions
cannot be joined on it.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

_KEY_DOMAIN = b"civitas-person-digest-key-v1"


def fold_name(text: str) -> str:
    """Upper case, no accents, single spaces: how a name is keyed from handwriting."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(letters.replace("-", " ").replace("'", " ").upper().split())


def person_key(installation_secret: str) -> bytes:
    return hmac.new(installation_secret.encode(), _KEY_DOMAIN, hashlib.sha256).digest()


def person_digest(
    key: bytes, *, family_name: str, given_names: str, birth_date: str, birth_place: str
) -> str:
    """The digest of an identity pivot; empty when the pivot is incomplete (no family name,
    given names or birth date: such an identity cannot be matched with a paper sheet)."""
    family, given = fold_name(family_name or ""), fold_name(given_names or "")
    if not (family and given and birth_date):
        return ""
    pivot = "|".join((family, given, birth_date, (birth_place or "").strip().upper()))
    return hmac.new(key, pivot.encode(), hashlib.sha256).hexdigest()
