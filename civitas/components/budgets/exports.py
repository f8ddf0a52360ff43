"""The budgets component's share of a user's GDPR export: the person's orders.

While a vote is open an order is the voter's own basket, so it is exported with its
projects. Closing copies confirmed orders into anonymous ballots and empties them: what
is left says that the account voted, never what it chose, and that is all the export can
(and may) say.
"""

from civitas.components.budgets.models import Order
from civitas.core.gdpr import iso, register_export


@register_export("budget_orders", covers=[(Order, "user")])
def export_orders(user) -> list[dict]:
    orders = (
        Order.objects.filter(user=user)
        .select_related("budget__component__space")
        .prefetch_related("projects")
        .order_by("created_at", "pk")
    )
    return [
        {
            "space": order.budget.component.space.title,
            "budget_id": order.budget_id,
            "budget": order.budget.title,
            "url": order.budget.get_absolute_url(),
            "projects": "; ".join(
                f"{project.title} ({project.amount} €)" for project in order.projects.all()
            ),
            "state": "confirmed" if order.checked_out_at else "draft, not counted",
            "confirmed_at": iso(order.checked_out_at),
            "created_at": iso(order.created_at),
        }
        for order in orders
    ]
