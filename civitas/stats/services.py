"""Headline figures: participants and contributions, per organization and per space."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import TruncMonth
from django.utils import timezone

from civitas.stats.registry import all_participations

CACHE_SECONDS = 600
MONTHS = 12


def eligible_users(organization):
    """Accounts that may count: residents, not the organization's admins (their clicks while
    setting up or testing are not participation); active (blocking deactivates), not deleted,
    with no block in force."""
    from civitas.moderation.models import UserBlock

    blocked = UserBlock.objects.filter(lifted_at__isnull=True).values("user_id")
    return (
        get_user_model()
        .objects.filter(
            organization=organization, is_active=True, deleted_at__isnull=True, is_organization_admin=False
        )
        .exclude(pk__in=blocked)
    )


def _actions(organization, space=None):
    """Per registered action: its rows in scope, by eligible users, as (user, space, date)."""
    eligible = eligible_users(organization).values("pk")
    for action in all_participations():
        rows = action.queryset().filter(
            **{f"{action.space_field}__organization": organization, f"{action.user_field}__in": eligible}
        )
        if space is not None:
            rows = rows.filter(**{action.space_field: space})
        yield action, rows


def participant_count(organization, space=None) -> int:
    """Distinct accounts behind all actions: one SQL query over the union of the sources."""
    parts, params = [], []
    for action, rows in _actions(organization, space):
        sql, sql_params = rows.order_by().values_list(action.user_field).query.sql_with_params()
        parts.append(sql)
        params.extend(sql_params)
    if not parts:
        return 0
    # The parts are SQL compiled by Django from querysets, their values kept as parameters.
    union = " UNION ".join(
        f"SELECT * FROM ({part}) AS part_{index}"  # noqa: S608
        for index, part in enumerate(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({union}) AS participants", params)  # noqa: S608
        return cursor.fetchone()[0]


def participants_by_space(organization, spaces) -> dict[int, int]:
    return {space.pk: participant_count(organization, space) for space in spaces}


@dataclass
class ActionTotal:
    key: str
    label: object
    count: int


def action_totals(organization, space=None) -> list[ActionTotal]:
    return [
        ActionTotal(action.key, action.label, rows.count()) for action, rows in _actions(organization, space)
    ]


def _month_starts(today: datetime.date, months: int) -> list[datetime.date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def contributions_by_month(organization, space=None, *, months: int = MONTHS, today=None):
    """[(first day of month, {action key: count})] for the last ``months`` months, oldest first."""
    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))
    counts: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for action, rows in _actions(organization, space):
        if action.date_field is None:
            continue  # undated by design (secret votes)
        per_month = (
            rows.filter(**{f"{action.date_field}__gte": since})
            .annotate(month=TruncMonth(F(action.date_field)))
            .values("month")
            .annotate(total=Count("pk"))
            .order_by()
        )
        for row in per_month:
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            counts[month][action.key] = counts[month].get(action.key, 0) + row["total"]
    return [(start, counts.get(start, {})) for start in starts]


def summary(organization, space=None) -> dict:
    """Everything the statistics page shows, cached for a few minutes."""
    key = f"civitas:stats:{organization.pk}:{space.pk if space else 'all'}"

    def compute():
        return {
            "participants": participant_count(organization, space),
            "totals": [(total.key, total.count) for total in action_totals(organization, space)],
            "months": contributions_by_month(organization, space),
        }

    # Only numbers are cached: the labels are read in the reader's language, not in the
    # language of whoever filled the cache (English headers once showed on French pages).
    data = cache.get_or_set(key, compute, CACHE_SECONDS)
    labels = {action.key: action.label for action in all_participations()}
    totals = [(key, str(labels[key]), count) for key, count in data["totals"] if key in labels]
    return {**data, "totals": totals}


def contributions_by_space_and_month(organization, spaces):
    """[(space slug, action key, first day of month, count)] over all time, for open data.

    An action may have no date yet (a budget vote is dated by its vote's closing, as
    nothing records when the account voted): it counts in the totals, in no month.
    """
    rows = []
    for action, actions in _actions(organization):
        if action.date_field is None:
            continue
        per_month = (
            actions.filter(**{f"{action.space_field}__in": spaces, f"{action.date_field}__isnull": False})
            .annotate(month=TruncMonth(F(action.date_field)), space_slug=F(f"{action.space_field}__slug"))
            .values("space_slug", "month")
            .annotate(total=Count("pk"))
            .order_by("space_slug", "month")
        )
        for row in per_month:
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            rows.append((row["space_slug"], action.key, month, row["total"]))
    return sorted(rows)
