"""Amendments: changes a participant proposes to someone else's text, which its authors decide on.

This app knows no particular content. A model becomes amendable by registering once, in
its app's ``AppConfig.ready()`` (proposals do it in ``civitas.components.proposals.amendable``)::

    from civitas.amendments.registry import register_amendable

    register_amendable(
        Article,
        fields=("title", "body"),          # what an amendment may change, in the order shown
        rich_fields=("body",),             # HTML compared on the words a reader sees
        component_of=lambda article: article.component,
        url_of=lambda article: article.get_absolute_url(),
        can_view=lambda user, article: ...,      # the object's own visibility rule
        deciders_of=lambda article: [article.component.space.created_by_id],  # user ids
        is_open=lambda article: article.published_at is not None,  # takes amendments now?
        apply=lambda article, fields: ...,       # write the accepted words and save
        visibility_of=lambda component: component.current_settings()["amendments_visibility"],
        permissions=AmendmentPermissions("texts.amend", "texts.react_to_amendment", None),
        promote=None,                      # or (amendment, user) -> the new object
        validate=None,                     # or (target, fields) -> {field: message}
    )

What each function means:

* ``fields``: an amendment keeps a proposed ``title`` and ``body`` (its own columns, so
  its own edits have a version history); an amendable model names the texts it lets
  people change among those two. Labels come from the target model's fields.
* ``can_view(user, target)``: whether the person may read the target. Every amendment of
  a target the person may not read is hidden from them too.
* ``deciders_of(target)``: the ids of the people who accept or reject, "the author". A
  function, so that co-authors join it without this app changing.
* ``apply(target, fields)``: called with the target's row locked, inside the acceptance's
  transaction; it writes the proposed fields and saves. The acceptance then records a
  version of the target (``civitas.versions``) whose note names the amendment and its
  amender, so the target must keep a version history of the same fields.
* ``visibility_of(component)``: ``"all"`` (everyone who may read the target sees its
  amendments) or ``"participants"`` (only the amender and the deciders, plus the space's
  moderators and admins): the two options Decidim offers.
* ``permissions``: the names of the django-rules permissions, asked on the component, for
  writing an amendment, reacting to one (support, comment) and promoting a rejected one.
  Components declare them as manifest actions with per-phase switches; ``promote``
  stays None (and its permission too) where a rejected amendment cannot become content
  of its own.
* ``promote(amendment, user)``: creates the amender's own object from a rejected
  amendment, in the same component, and returns it; the amendment keeps a link to it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

VISIBILITY_ALL = "all"
VISIBILITY_PARTICIPANTS = "participants"
AMENDABLE_FIELDS = ("title", "body")


@dataclass(frozen=True)
class AmendmentPermissions:
    amend: str
    react: str
    promote: str | None = None


@dataclass(frozen=True)
class Amendable:
    key: str  # "proposals.proposal"
    model: type[models.Model]
    fields: tuple[str, ...]
    rich_fields: frozenset[str]
    component_of: Callable[[Any], Any]
    url_of: Callable[[Any], str]
    can_view: Callable[[Any, Any], bool]
    deciders_of: Callable[[Any], Iterable[int]]
    is_open: Callable[[Any], bool]
    apply: Callable[[Any, dict], None]
    visibility_of: Callable[[Any], str]
    permissions: AmendmentPermissions
    promote: Callable[[Any, Any], Any] | None = None
    validate: Callable[[Any, dict], dict] | None = None

    def label(self, field_name: str) -> str:
        return str(self.model._meta.get_field(field_name).verbose_name)

    def max_length(self, field_name: str) -> int | None:
        return self.model._meta.get_field(field_name).max_length

    def current_fields(self, target) -> dict[str, str]:
        return {name: getattr(target, name) or "" for name in self.fields}


_by_key: dict[str, Amendable] = {}


def register_amendable(
    model: type[models.Model],
    *,
    fields: tuple[str, ...],
    component_of: Callable[[Any], Any],
    url_of: Callable[[Any], str],
    can_view: Callable[[Any, Any], bool],
    deciders_of: Callable[[Any], Iterable[int]],
    is_open: Callable[[Any], bool],
    apply: Callable[[Any, dict], None],
    visibility_of: Callable[[Any], str],
    permissions: AmendmentPermissions,
    rich_fields: tuple[str, ...] = (),
    promote: Callable[[Any, Any], Any] | None = None,
    validate: Callable[[Any, dict], dict] | None = None,
) -> Amendable:
    if not fields or set(fields) - set(AMENDABLE_FIELDS):
        raise ValueError(f"{model._meta.label}: amendable fields must be among {AMENDABLE_FIELDS}.")
    if set(rich_fields) - set(fields):
        raise ValueError(f"{model._meta.label}: rich fields must be amendable fields.")
    if (promote is None) != (permissions.promote is None):
        raise ValueError(f"{model._meta.label}: promotion needs both its function and its permission.")
    key = model._meta.label_lower
    entry = Amendable(
        key,
        model,
        tuple(fields),
        frozenset(rich_fields),
        component_of,
        url_of,
        can_view,
        deciders_of,
        is_open,
        apply,
        visibility_of,
        permissions,
        promote,
        validate,
    )
    _by_key[key] = entry
    return entry


def for_key(key: str) -> Amendable | None:
    return _by_key.get(key)


def for_model(model_or_instance) -> Amendable | None:
    return _by_key.get(model_or_instance._meta.label_lower)


def registered() -> list[Amendable]:
    return [entry for _, entry in sorted(_by_key.items())]
