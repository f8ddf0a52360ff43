"""What spam detection puts on the admin's dashboard: the accounts it blocked lately, to review."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from civitas.core.attention import AttentionItem, Scope

REVIEW_DAYS = 30


def accounts_blocked_automatically(scope: Scope) -> list[AttentionItem]:
    """Accounts the scan blocked in the last 30 days whose block is still in force (one query)."""
    from civitas.moderation.models import UserBlock
    from civitas.spam.models import AccountScore

    if not scope.whole_organization:
        return []  # blocking is the organization admins' business
    since = timezone.now() - datetime.timedelta(days=REVIEW_DAYS)
    in_force = UserBlock.objects.filter(lifted_at__isnull=True).values("user_id")
    count = AccountScore.objects.filter(
        organization=scope.organization, blocked_at__gte=since, user_id__in=in_force
    ).count()
    return [
        AttentionItem(
            count=count,
            text=ngettext(
                "account blocked by spam detection within a month, to review",
                "accounts blocked by spam detection within a month, to review",
                count,
            ),
            url=reverse("moderation:blocked"),
        )
    ]
