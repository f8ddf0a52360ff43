"""What cannot change while a budget vote runs: its rules, its amounts and its projects.

A ballot is checked against the rules, the budget's amount and the projects' costs it
was built with. Changing any of them while participants may be voting would make some
cast ballots invalid, or let two voters play by different rules. So they are locked as
soon as voting is open in the current phase, anyone has started a selection or a ballot
has been cast, and stay locked once the vote is closed (the sealed results were computed
with them). Titles,
descriptions, images and addresses stay editable: they change no order.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from civitas.ballotbox.background import closing_under_way
from civitas.components.budgets.models import Budget, Order
from civitas.components.manifest import SettingsLock

# Every component setting of budgets is a vote rule (see the manifest).
VOTE_RULE_SETTINGS = frozenset(
    {"vote_scope", "vote_rule", "minimum_percent", "minimum_projects", "maximum_projects", "winner_rule"}
)


def lock_reason(component, budget: Budget | None = None) -> str | None:
    """Why the vote rules (and this budget's amount and projects) cannot change now, or None."""
    budgets = Budget.objects.filter(component=component)
    if budget is not None and budget.pk:
        budgets = budgets.filter(pk=budget.pk)
    if budgets.filter(frozen_at__isnull=False).exists():
        return _("This vote is closed: its rules, amounts and projects can no longer change.")
    if any(closing_under_way(one) for one in budgets[:1]):  # the budgets close together
        return _("Its closing has been asked: the rules, amounts and projects can no longer change.")
    # A confirmed vote leaves no order: its ballot is encrypted, and counts as one.
    if Order.objects.filter(budget__in=budgets).exists() or any(budget.has_ballots() for budget in budgets):
        return _("Participants have started voting: the rules, amounts and projects can no longer change.")
    if component.active_phase_settings().get("voting_enabled"):
        return _(
            "Voting is open: the rules, amounts and projects cannot change while participants may vote. "
            "Close voting in the settings of the current phase first."
        )
    return None


def settings_lock(component) -> SettingsLock | None:
    reason = lock_reason(component)
    return SettingsLock(VOTE_RULE_SETTINGS, reason) if reason else None
