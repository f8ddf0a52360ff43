"""Per-petition signer pseudonyms (framework-free).

A signature row stores ``signer_pseudonym(key, petition_ref, subject)``: the first 128
bits of HMAC-SHA256 under a server secret, written as a UUID so that it can serve as the
record id of the sealed list (whose reader refuses an id that appears twice). The key is
outside the database, so a copy of the database cannot link a pseudonym to an identity
provider's ``sub``; the petition's random reference enters the hash, so the pseudonyms of
one person in two petitions are unrelated and two petitions cannot be joined.

Paper signatures have no provider ``sub``: their pseudonym hashes the identity written on
the form (normalized family name, given names, birth date and birth place) in another
domain, so that one person keyed twice on paper still counts once.

Across channels, a signature also stores :func:`person_pseudonym`, from the digest of
the identity pivot that an online identity provider gives and that a paper sheet holds:
one person who signs online and on paper counts once, whichever came first.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from civitas.authorizations.persons import fold_name

_KEY_DOMAIN = b"civitas-petition-pseudonym-key-v1"


def pseudonym_key(installation_secret: str) -> bytes:
    """The pseudonym key, derived from the installation's ballot secret (never stored)."""
    return hmac.new(installation_secret.encode(), _KEY_DOMAIN, hashlib.sha256).digest()


def _pseudonym(key: bytes, petition_ref: str, domain: str, value: str) -> uuid.UUID:
    message = f"{domain}\n{petition_ref}\n{value}".encode()
    return uuid.UUID(bytes=hmac.new(key, message, hashlib.sha256).digest()[:16])


def signer_pseudonym(key: bytes, petition_ref: str, subject: str) -> uuid.UUID:
    """The pseudonym of the person an identity provider calls ``subject``, for one petition."""
    if not subject:
        raise ValueError("an identity without a subject cannot sign")
    return _pseudonym(key, petition_ref, "online", subject)


def paper_pseudonym(
    key: bytes, petition_ref: str, *, family_name: str, given_names: str, birth_date: str, birth_place: str
) -> uuid.UUID:
    identity = "|".join(
        (fold_name(family_name), fold_name(given_names), birth_date, birth_place.strip().upper())
    )
    return _pseudonym(key, petition_ref, "paper", identity)


def person_pseudonym(key: bytes, petition_ref: str, digest: str) -> uuid.UUID | None:
    """The pseudonym of a person digest (civitas.authorizations.persons) in one petition:
    the same for the person signing online and keyed from a paper sheet, so one of the
    two is refused. None without a digest."""
    return _pseudonym(key, petition_ref, "person", digest) if digest else None


def departement_of(birth_place: str) -> str:
    """The département of an INSEE commune code ("75056" -> "75", "2A004" -> "2A",
    "97411" -> "974"); empty for people born abroad (99xxx) or an unreadable code."""
    code = (birth_place or "").strip().upper()
    if len(code) != 5 or code.startswith("99"):
        return ""
    if code.startswith("97") or code.startswith("98"):
        return code[:3] if code[:3].isdigit() else ""
    if code[:2] in ("2A", "2B") and code[2:].isdigit():
        return code[:2]
    return code[:2] if code.isdigit() else ""
