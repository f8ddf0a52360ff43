"""Parsing and validation of host names, kept free of Django so it can be reasoned about alone."""

import re

# RFC 1123 labels; "localhost" and single-label names are allowed for development.
_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST_RE = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")


def normalize_host(value: str) -> str:
    """Lower-case a host name and strip a trailing dot; no port allowed here."""
    return value.strip().lower().rstrip(".")


def is_valid_host(value: str) -> bool:
    return len(value) <= 253 and bool(_HOST_RE.match(value))
