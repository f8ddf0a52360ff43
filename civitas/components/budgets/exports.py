"""The budgets' share of a person's GDPR export: where they voted, never what they chose.

A confirmed ballot is encrypted and linked to nobody, so the export can only say that the
account voted in a budget. A draft selection never confirmed is the person's own data and
names them: it is exported as it stands.
"""

from civitas.components.budgets.models import BudgetParticipation, Order
from civitas.core.gdpr import register_export


def _where(budget) -> dict:
    return {"space": budget.component.space.title, "component": budget.component.name, "budget": budget.title}


@register_export("budget_votes")
def export_budget_votes(user) -> list[dict]:
    voted = BudgetParticipation.objects.filter(user=user).select_related("budget__component__space")
    return [{**_where(participation.budget), "voted": True} for participation in voted.order_by("budget_id")]


@register_export("budget_draft_selections")
def export_budget_drafts(user) -> list[dict]:
    drafts = Order.objects.filter(user=user).select_related("budget__component__space").order_by("budget_id")
    return [
        {
            **_where(order.budget),
            "projects": "; ".join(order.projects.order_by("position", "pk").values_list("title", flat=True)),
            "started_at": order.created_at.isoformat(),
        }
        for order in drafts
    ]
