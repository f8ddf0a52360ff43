"""Verified identities: who an identity provider says an account's owner is.

A census verification proves "entitled to take part" and nothing more (see ``models``).
Some acts need more: a petition is signed once per *person*, so it needs an identifier
that stays the same for that person whatever account they use, which only an identity
provider such as FranceConnect gives (its ``sub``).

The provider integrations register a source per handler name; the acts that need an
identity (petition signatures, minimum ages) ask ``verified_identity`` and never look
at the providers' own tables. That keeps petitions independent of how log-in works.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class VerifiedIdentity:
    handler: str
    # The provider's stable identifier for the person (FranceConnect's ``sub``), never
    # shown and never stored as is by the acts that use it: they key-hash it.
    subject: str
    birth_date: datetime.date | None = None
    # The INSEE code of the birth place when the provider gives it (FranceConnect's
    # ``birthplace``); empty for people born abroad or when not asked for.
    birth_place: str = ""
    # The keyed digest of the identity pivot (civitas.authorizations.persons), when the
    # provider gave the whole pivot: what matches this person with a paper signature.
    person: str = ""

    @property
    def birth_year(self) -> int | None:
        return self.birth_date.year if self.birth_date else None

    def age_on(self, day: datetime.date) -> int | None:
        if self.birth_date is None:
            return None
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


IdentitySource = Callable[[object], "VerifiedIdentity | None"]
_SOURCES: dict[str, IdentitySource] = {}
# Whether an organization offers the identity (``offered(organization)``): a provider of
# that kind set up and enabled. A source registered without one is offered everywhere.
_OFFERED: dict[str, Callable[[object], bool]] = {}


def register_identity_source(
    handler: str, source: IdentitySource, offered: Callable[[object], bool] | None = None
) -> None:
    """``source(user)`` returns the account's identity for ``handler``, or None;
    ``offered(organization)`` says whether people of that organization can get it."""
    _SOURCES[handler] = source
    if offered is not None:
        _OFFERED[handler] = offered


def identity_handlers(organization=None) -> list[str]:
    """Every identity handler; with an organization, only those its people can get
    (requiring another one would ask for what nobody there can prove)."""
    return sorted(
        handler for handler in _SOURCES if organization is None or identity_offered(organization, handler)
    )


def identity_offered(organization, handler: str) -> bool:
    if handler not in _SOURCES:
        return False
    offered = _OFFERED.get(handler)
    return offered is None or offered(organization)


@dataclass(frozen=True)
class IdentityPurpose:
    """What a page that sent someone to verify their identity needs it for, said where
    they verify it: "To sign the petition “…”, link your FranceConnect account."."""

    text: str
    handler: str


# View name -> ``purpose(request, **url_kwargs)``, an IdentityPurpose or None.
_PURPOSES: dict[str, Callable[..., IdentityPurpose | None]] = {}


def register_identity_purpose(view_name: str, purpose: Callable[..., IdentityPurpose | None]) -> None:
    _PURPOSES[view_name] = purpose


def identity_purpose(request, next_url: str) -> IdentityPurpose | None:
    """Why the page at ``next_url`` (a safe, local address) sent this person to verify."""
    from urllib.parse import urlsplit

    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    purpose = _PURPOSES.get(match.view_name)
    return purpose(request, **match.kwargs) if purpose else None


def verified_identity(user, handler: str) -> VerifiedIdentity | None:
    if not getattr(user, "is_authenticated", False) or handler not in _SOURCES:
        return None
    return _SOURCES[handler](user)
