import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REFUSED = (
    "budgets migration 0004: {count} confirmed vote(s) of budgets still open ({budgets}) were "
    "stored in clear in their orders. Confirmed votes are now encrypted when cast, and these "
    "cannot be converted here. Close those votes with the previous version first (their "
    "ballots are then sealed), or delete the orders if they are test data, then migrate again."
)


def participations_from_orders(apps, schema_editor):
    """Keep "this account voted" from the orders of closed budgets; refuse open budgets' votes.

    A confirmed order of a closed budget already had its lines and receipt removed at
    closing (its ballot is sealed): it becomes a participation, with no time. Drafts never
    confirmed were never votes and name their voter: they go. A confirmed order of an
    open budget holds a vote in clear: converting it is not needed (no production data
    yet), and losing it silently is not acceptable, so the migration stops and says so.
    """
    Order = apps.get_model("budgets", "Order")
    OrderLine = apps.get_model("budgets", "OrderLine")
    BudgetParticipation = apps.get_model("budgets", "BudgetParticipation")
    open_votes = Order.objects.filter(checked_out_at__isnull=False, budget__frozen_at__isnull=True)
    if open_votes.exists():
        budgets = sorted(set(open_votes.values_list("budget_id", flat=True)))
        raise RuntimeError(
            REFUSED.format(count=open_votes.count(), budgets=", ".join(f"#{pk}" for pk in budgets))
        )
    closed = Order.objects.filter(budget__frozen_at__isnull=False)
    BudgetParticipation.objects.bulk_create(
        [
            BudgetParticipation(budget_id=budget_id, user_id=user_id)
            for budget_id, user_id in closed.filter(checked_out_at__isnull=False)
            .values_list("budget_id", "user_id")
            .iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )
    OrderLine.objects.filter(order__budget__frozen_at__isnull=False).delete()
    closed.delete()


def orders_from_participations(apps, schema_editor):
    """Back: a closed budget's participations become confirmed orders dated at its closing."""
    Order = apps.get_model("budgets", "Order")
    BudgetParticipation = apps.get_model("budgets", "BudgetParticipation")
    if BudgetParticipation.objects.filter(budget__frozen_at__isnull=True).exists():
        raise RuntimeError(
            "budgets migration 0004 backwards: open budgets have encrypted ballots, which the "
            "previous version cannot count. Close those votes first."
        )
    Order.objects.bulk_create(
        [
            Order(budget_id=budget_id, user_id=user_id, checked_out_at=frozen_at)
            for budget_id, user_id, frozen_at in BudgetParticipation.objects.values_list(
                "budget_id", "user_id", "budget__frozen_at"
            ).iterator(chunk_size=2000)
        ],
        batch_size=2000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0003_ballot_keys"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BudgetParticipation",
            fields=[
                (
                    "id",
                    models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False),
                ),
                (
                    "budget",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="budgets.budget",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        models.F("budget"), models.F("user"), name="budget_participation_once"
                    )
                ],
            },
        ),
        migrations.RunPython(participations_from_orders, orders_from_participations),
    ]
