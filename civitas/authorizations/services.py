"""Admins set which verifications each action of a component needs."""

from __future__ import annotations

from django.db import transaction

from civitas.authorizations.handlers import HANDLERS
from civitas.authorizations.models import ActionRequirement
from civitas.authorizations.requirements import configurable_actions


class RequirementError(Exception):
    pass


def _describe(rows) -> list[str]:
    return sorted(
        f"{row.action}@{row.phase_id or 'all'}:{row.handler}"
        + (f">={row.minimum_age}" if row.minimum_age else "")
        for row in rows
    )


def do_set_requirements(
    *, component, user, requirements: list[tuple[str, int | None, str, int | None]]
) -> None:
    """Replace the component's requirements by ``(action, phase id or None, handler, minimum age)``.

    Checked again here, whatever the form did: the action is the component's, the phase
    its space's, the handler registered.
    """
    from civitas.actionlog.services import log_action

    actions = {action.name for action in configurable_actions(component)}
    phases = set(component.space.phases.values_list("pk", flat=True))
    rows, seen = [], set()
    for action, phase_id, handler, minimum_age in requirements:
        if action not in actions:
            raise RequirementError(f"unknown action {action!r}")
        if phase_id is not None and phase_id not in phases:
            raise RequirementError(f"phase {phase_id} is not one of the space's")
        if handler not in HANDLERS:
            raise RequirementError(f"unknown handler {handler!r}")
        if minimum_age is not None and not 0 < minimum_age <= 120:
            raise RequirementError("a minimum age lies between 1 and 120")
        if (action, phase_id, handler) in seen:
            continue
        seen.add((action, phase_id, handler))
        rows.append(
            ActionRequirement(
                component=component,
                phase_id=phase_id,
                action=action,
                handler=handler,
                minimum_age=minimum_age,
            )
        )
    with transaction.atomic():
        existing = ActionRequirement.objects.select_for_update().filter(component=component)
        before = _describe(existing)
        existing.delete()
        ActionRequirement.objects.bulk_create(rows)
        log_action(
            organization=component.space.organization,
            user=user,
            space=component.space,
            action="component.requirements",
            target=component,
            before={"requirements": before},
            after={"requirements": _describe(rows)},
        )
    component.__dict__.pop("_verification_requirements", None)
