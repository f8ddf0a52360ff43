"""Receipt codes: a random secret for the respondent, a one-way hash for the record."""

from __future__ import annotations

import hashlib
import re
import secrets

# Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 4
GROUP_LENGTH = 4  # 16 symbols × 5 bits = 80 bits: far beyond guessing
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SEPARATORS = re.compile(r"[\s\-_.]+")


def new_receipt_code() -> str:
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_LENGTH))
    return "-".join(symbols[i : i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH))


def normalize_receipt_code(code: str) -> str:
    """The canonical form of a code as typed: upper case, grouped, confusables mapped.

    Raises ValueError when it cannot be a receipt code.
    """
    symbols = _SEPARATORS.sub("", code or "").upper().translate(_CONFUSABLE)
    if len(symbols) != GROUPS * GROUP_LENGTH or any(symbol not in ALPHABET for symbol in symbols):
        raise ValueError("not a receipt code")
    return "-".join(symbols[i : i + GROUP_LENGTH] for i in range(0, len(symbols), GROUP_LENGTH))


def receipt_hash(code: str) -> str:
    """sha256 hex of the normalized code; what records and published files carry."""
    normalized = normalize_receipt_code(code)
    return hashlib.sha256(f"civitas-receipt-v1:{normalized}".encode()).hexdigest()
