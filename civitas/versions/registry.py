"""What each app keeps a history of, and who may read that history.

An app registers its model once (in its AppConfig.ready) with the fields it tracks and
two functions of its own: which organization an object belongs to, and whether a person
may read it. The history follows the content's own visibility on every request, so
content hidden by moderation, withdrawn into a private space or not yet published keeps
its history hidden too, without the versions app knowing any app's rules.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Versioned:
    key: str  # in URLs: "proposals.proposal"
    model: type[models.Model]
    fields: tuple[str, ...]  # tracked, in the order the history shows them
    rich_fields: frozenset[str]  # stored as HTML: compared on the words a reader sees
    organization_of: Callable[[models.Model], object]
    can_view: Callable[[object, models.Model], bool]  # (user, object)

    def label(self, field_name: str) -> str:
        return str(self.model._meta.get_field(field_name).verbose_name)


_by_key: dict[str, Versioned] = {}
_by_model: dict[type[models.Model], Versioned] = {}


def register(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    organization_of: Callable[[models.Model], object],
    can_view: Callable[[object, models.Model], bool],
    rich_fields: tuple[str, ...] = (),
) -> Versioned:
    unknown = set(rich_fields) - set(fields)
    if unknown:
        raise ValueError(f"{model._meta.label}: rich fields {sorted(unknown)} are not tracked fields.")
    key = model._meta.label_lower
    spec = Versioned(key, model, tuple(fields), frozenset(rich_fields), organization_of, can_view)
    _by_key[key] = spec
    _by_model[model] = spec
    return spec


def for_model(model: type[models.Model]) -> Versioned:
    try:
        return _by_model[model]
    except KeyError:
        raise LookupError(f"{model._meta.label} keeps no version history: register it first.") from None


def for_key(key: str) -> Versioned | None:
    return _by_key.get(key)


def registered() -> list[Versioned]:
    return [spec for _, spec in sorted(_by_key.items())]
