"""Tally functions, one module per kind; each registers itself with ``@tally(kind)``."""
