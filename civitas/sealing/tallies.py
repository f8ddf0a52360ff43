"""Registry of tally functions, keyed by the ``kind`` written in a published file."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from typing import Any

TallyFunction = Callable[[dict, Iterable[dict]], dict]

_registry: dict[str, TallyFunction] = {}
_loaded = False


def tally(kind: str) -> Callable[[TallyFunction], TallyFunction]:
    """Decorator registering the tally function of a kind (e.g. "survey")."""

    def register(function: TallyFunction) -> TallyFunction:
        existing = _registry.get(kind)
        if existing is not None and existing is not function:
            raise ValueError(f"a tally for kind {kind!r} is already registered")
        _registry[kind] = function
        return function

    return register


def _load_kinds() -> None:
    global _loaded
    if _loaded:
        return
    from civitas.sealing import kinds

    for module in pkgutil.iter_modules(kinds.__path__):
        importlib.import_module(f"{kinds.__name__}.{module.name}")
    _loaded = True


def known_kinds() -> list[str]:
    _load_kinds()
    return sorted(_registry)


def get_tally_function(kind: str) -> TallyFunction:
    _load_kinds()
    try:
        return _registry[kind]
    except KeyError:
        raise KeyError(
            f"no tally is known for kind {kind!r} (known: {', '.join(sorted(_registry))})"
        ) from None


def compute_tally(kind: str, definition: dict, records: Iterable[dict]) -> dict[str, Any]:
    return get_tally_function(kind)(definition, records)
