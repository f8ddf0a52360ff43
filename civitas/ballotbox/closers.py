"""How each kind of sealed vote is closed, for the command line (``manage.py close_vote``).

A component registers its closing service in ``AppConfig.ready`` so that the ballot box
never imports a component: ``register_closer(Survey, close)`` where
``close(target, user, trustee_keys)`` closes, logs and raises the component's error.
"""

from __future__ import annotations

from collections.abc import Callable

_closers: dict[str, Callable] = {}


def register_closer(model, close: Callable) -> None:
    _closers[model._meta.label_lower] = close


def closer_for(label: str) -> Callable:
    try:
        return _closers[label.lower()]
    except KeyError:
        known = ", ".join(sorted(_closers))
        raise LookupError(f"no sealed vote of kind {label!r} (known: {known})") from None
