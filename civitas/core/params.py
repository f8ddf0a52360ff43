"""Reading ids from query strings, where anyone can type anything."""

# Ids are 64-bit database integers; longer digit strings cannot name a row.
_MAX_ID_DIGITS = 18


def parse_id(raw: str) -> int | None:
    """The positive integer id in ``raw``, or None for anything else.

    ``str.isdigit`` alone is not enough: "²" passes it and breaks ``int``, and a
    30-digit number overflows the database's integer.
    """
    raw = (raw or "").strip()
    if not (raw.isascii() and raw.isdigit()) or len(raw) > _MAX_ID_DIGITS:
        return None
    value = int(raw)
    return value or None
