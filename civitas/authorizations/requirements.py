"""Which verifications an action needs, and what a participant still lacks for it.

Generic over the components' manifests: every declared action (plus ``comment``, on
component types whose resources take comments) can require handlers of
``handlers.HANDLERS``, in every phase or in one phase (see ``models.ActionRequirement``).
The permissions ``<type>.<action>`` and ``comments.add_comment`` include
``requirements_met``, so a service that checks its permission refuses an unverified
participant whatever the page showed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_ACTION = "comment"


@dataclass(frozen=True)
class ConfigurableAction:
    name: str
    label: Any
    permission: str


@dataclass(frozen=True)
class Requirement:
    handler: str
    minimum_age: int | None = None


class Reason:
    NOT_VERIFIED = "not_verified"
    TOO_YOUNG = "too_young"
    NO_BIRTH_DATE = "no_birth_date"


@dataclass(frozen=True)
class Missing:
    """One requirement the participant does not meet, and why."""

    handler: str
    label: Any
    reason: str
    minimum_age: int | None = None

    @property
    def can_be_fixed(self) -> bool:
        # Too young is not something a verification can change.
        return self.reason != Reason.TOO_YOUNG


# --- the actions ------------------------------------------------------------------------

# Predicates of each guarded permission without its verifications: whether the person
# could act if verified (the page then offers to verify rather than staying silent).
_BASE_PREDICATES: dict[str, Any] = {}


def guarded(permission: str, action: str, base):
    """``base`` and the verifications ``action`` requires in the component's active phase."""
    _BASE_PREDICATES[permission] = base
    return base & requirements_met(action)


def _takes_comments(manifest) -> bool:
    from civitas.comments.registry import all_commentables

    resources = {label.lower() for label in manifest.resources}
    return any(entry.model._meta.label_lower in resources for entry in all_commentables())


def configurable_actions(component) -> list[ConfigurableAction]:
    manifest = component.manifest
    if manifest is None:
        return []
    actions = [
        ConfigurableAction(action.name, action.label, f"{manifest.name}.{action.name}")
        for action in manifest.actions
    ]
    if _takes_comments(manifest):
        actions.append(ConfigurableAction(COMMENT_ACTION, _("Comment"), "comments.add_comment"))
    return actions


def find_action(component, name: str) -> ConfigurableAction | None:
    return next((action for action in configurable_actions(component) if action.name == name), None)


# --- what is required ---------------------------------------------------------------------


def requirements_for(component, action: str) -> list[Requirement]:
    """The handlers ``action`` needs now, in the component's active phase; one per handler."""
    from civitas.authorizations.models import ActionRequirement

    cache = component.__dict__.setdefault("_verification_requirements", {})
    phase_id = component.space.active_phase_id
    if phase_id not in cache and component.__dict__.get("has_action_requirements") is False:
        cache[phase_id] = {}  # read with the component: it requires nothing (components.views)
    if phase_id not in cache:
        rows = ActionRequirement.objects.filter(
            Q(phase__isnull=True) | Q(phase_id=phase_id), component=component
        )
        merged: dict[tuple[str, str], int | None] = {}
        for row in rows.order_by("action", "handler"):
            key = (row.action, row.handler)
            ages = [age for age in (merged.get(key), row.minimum_age) if age]
            merged[key] = max(ages) if ages else None
        cache[phase_id] = merged
    return [
        Requirement(handler, minimum_age)
        for (name, handler), minimum_age in cache[phase_id].items()
        if name == action
    ]


# --- what the participant has ---------------------------------------------------------------


def handler_label(handler: str):
    from civitas.authorizations.handlers import HANDLERS

    return HANDLERS.get(handler, handler)


def check_requirement(user, requirement: Requirement) -> Missing | None:
    """None when met. Handlers with an identity source are read from the identity."""
    from civitas.authorizations.handlers import is_authorized
    from civitas.authorizations.identity import identity_handlers, verified_identity

    handler = requirement.handler

    def missing(reason: str) -> Missing:
        return Missing(handler, handler_label(handler), reason, requirement.minimum_age)

    if handler in identity_handlers():
        identity = verified_identity(user, handler)
        if identity is None:
            return missing(Reason.NOT_VERIFIED)
        if requirement.minimum_age:
            age = identity.age_on(timezone.localdate())
            if age is None:
                return missing(Reason.NO_BIRTH_DATE)
            if age < requirement.minimum_age:
                return missing(Reason.TOO_YOUNG)
        return None
    return None if is_authorized(user, handler) else missing(Reason.NOT_VERIFIED)


def missing_verifications(user, component, action: str) -> list[Missing]:
    if not getattr(user, "is_authenticated", False):
        return [
            Missing(r.handler, handler_label(r.handler), Reason.NOT_VERIFIED, r.minimum_age)
            for r in requirements_for(component, action)
        ]
    return [
        missing
        for requirement in requirements_for(component, action)
        if (missing := check_requirement(user, requirement)) is not None
    ]


def requirements_met(action: str):
    @rules.predicate(name=f"verifications_met({action})")
    def predicate(user, component) -> bool:
        return not missing_verifications(user, component, action)

    return predicate


def blocked_only_by_verifications(user, component, action: ConfigurableAction | str) -> list[Missing]:
    """What the participant lacks when verifying is all that stands between them and the
    action; empty when they may act, or may not for another reason (phase, membership…)."""
    if isinstance(action, str):
        action = find_action(component, action)
        if action is None:
            return []
    base = _BASE_PREDICATES.get(action.permission)
    if base is None or not getattr(user, "is_authenticated", False) or not base.test(user, component):
        return []
    return missing_verifications(user, component, action.name)


# --- districts ------------------------------------------------------------------------------


def normalize_district(text: str) -> str:
    return " ".join((text or "").split())


def same_district(first: str, second: str) -> bool:
    return normalize_district(first).casefold() == normalize_district(second).casefold()


def user_districts(user, handlers: list[str] | None = None) -> list[str]:
    """The districts the account's verifications give, from ``handlers`` only when given."""
    from civitas.authorizations.models import Authorization

    if not getattr(user, "is_authenticated", False):
        return []
    rows = Authorization.objects.filter(user=user, organization_id=user.organization_id).exclude(district="")
    if handlers is not None:
        rows = rows.filter(handler__in=handlers)
    return sorted(set(rows.values_list("district", flat=True)))


def verification_refusal(user, component, action: str):
    """The message a refused action shows when missing verifications are the reason, or None."""
    if blocked_only_by_verifications(user, component, action):
        return _("This is open to verified participants only: verify your account first.")
    return None
