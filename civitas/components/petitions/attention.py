"""What a petition puts on the admin's dashboard: paper signature batches to key or resolve."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from civitas.core.attention import AttentionItem, Scope, register_attention


def batches_to_key(scope: Scope) -> list[AttentionItem]:
    """One item per petition with uncounted batches, in one query."""
    from civitas.components.petitions.models import PaperBatch

    rows = (
        PaperBatch.objects.filter(petition__component__space__in=scope.spaces, counted_at__isnull=True)
        .order_by()
        .values("petition_id", "petition__title", "petition__component_id", "petition__component__space_id")
        .annotate(total=Count("pk"))
        .order_by("petition__component__space_id", "petition_id")
    )
    return [
        AttentionItem(
            count=row["total"],
            text=ngettext(
                "batch of paper signatures to key or resolve",
                "batches of paper signatures to key or resolve",
                row["total"],
            ),
            url=reverse(
                "petitions_admin:paper",
                kwargs={
                    "space_id": row["petition__component__space_id"],
                    "component_id": row["petition__component_id"],
                    "petition_id": row["petition_id"],
                },
            ),
            where=row["petition__title"],
        )
        for row in rows
    ]


def register() -> None:
    register_attention("petition_batches", batches_to_key, position=32)
