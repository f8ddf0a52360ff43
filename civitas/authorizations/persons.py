"""One person, whether they sign online or on paper (framework-free).

An identity provider names a person by its ``sub``; a paper sheet names them by what
is written on it. To count a person once across both, both are turned into the same
*person digest*: a keyed hash of the family name, the first given name and the birth date
(the part of France's identity pivot a signer cannot vary without lying), after folding
case, accents, hyphens and apostrophes the way a name is keyed from handwriting.

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
    key: bytes, *, family_name: str, given_names: str, birth_date: str, birth_place: str = ""
) -> str:
    """The digest of a person: family name, first given name and birth date, folded.

    Deliberately looser than the whole pivot: a signer writes a paper sheet themselves, and
    an outside tester counted one person twice by leaving out the birth place on one sheet
    and the second given names on another. Two different people share a digest only with
    the same family name, first given name and birth date; ``birth_place`` is taken for
    the signature's sake and left out. Empty when one of the three is missing: such an
    identity matches nobody rather than every incomplete identity.
    """
    family = fold_name(family_name or "")
    # The first word once folded: "Marie-Louise" and "Marie Louise" are one hand's two
    # spellings. (Twins named Marie-Louise and Marie-Claire would count once: rare, said.)
    given = fold_name(given_names or "").partition(" ")[0]
    if not (family and given and birth_date):
        return ""
    return hmac.new(key, "|".join((family, given, birth_date)).encode(), hashlib.sha256).hexdigest()
