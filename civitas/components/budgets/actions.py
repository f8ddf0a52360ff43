"""Sentences of the action log for participatory budgets (see civitas.actionlog.registry)."""

from django.utils.translation import gettext_lazy as _

from civitas.actionlog.registry import register_actions

register_actions(
    {
        "budget.create": _("Created a budget"),
        "budget.update": _("Changed a budget"),
        "budget.delete": _("Deleted a budget"),
        "budget.close": _("Closed the vote, opened and sealed the ballots"),
        "budget_project.create": _("Added a project"),
        "budget_project.update": _("Changed a project"),
        "budget_project.delete": _("Deleted a project"),
        "budget_project.import": _("Imported accepted proposals as projects"),
    }
)
