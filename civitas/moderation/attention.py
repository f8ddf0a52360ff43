"""What moderation puts on the admin's dashboard: reports to judge, held contributions, reported accounts."""

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import ngettext

from civitas.core.attention import AttentionItem, Scope


def waiting_reports(scope: Scope) -> list[AttentionItem]:
    """One query: the pending cases in the reader's spaces (and, for the organization's
    admins, the reported accounts, which belong to no space)."""
    from civitas.moderation.models import Moderation, Outcome, Report

    pending = Report.objects.filter(moderation=OuterRef("pk"), outcome=Outcome.PENDING)
    in_scope = Q(space__in=scope.spaces)
    if scope.whole_organization:
        in_scope |= Q(space__isnull=True)
    counts = (
        Moderation.objects.filter(organization=scope.organization)
        .filter(in_scope)
        .filter(Exists(pending))
        .aggregate(
            visible=Count("pk", filter=Q(space__isnull=False, hidden_at__isnull=True)),
            held=Count("pk", filter=Q(space__isnull=False, hidden_at__isnull=False)),
            accounts=Count("pk", filter=Q(space__isnull=True)),
        )
    )
    queue = reverse("moderation:queue")
    return [
        AttentionItem(
            count=counts["visible"],
            text=ngettext(
                "reported contribution to moderate", "reported contributions to moderate", counts["visible"]
            ),
            url=queue,
        ),
        AttentionItem(
            count=counts["held"],
            text=ngettext(
                "contribution held (spam filter or reports), waiting for a moderator",
                "contributions held (spam filter or reports), waiting for a moderator",
                counts["held"],
            ),
            url=queue,
        ),
        AttentionItem(
            count=counts["accounts"],
            text=ngettext(
                "account reported (by people or spam detection)",
                "accounts reported (by people or spam detection)",
                counts["accounts"],
            ),
            url=queue,
        ),
    ]
