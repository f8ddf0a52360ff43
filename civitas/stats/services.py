"""Headline figures: participants and contributions, per organization and per space."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from civitas.stats.registry import VOTE, all_participations

CACHE_SECONDS = 600
# Figures are kept this long, and served past CACHE_SECONDS while a task recomputes them:
# at national volume (millions of supports, comments, answers) computing them takes seconds
# to tens of seconds, which no visitor should wait for, and one request must not start the
# same computation in every web worker at once when they expire.
KEEP_SECONDS = 7 * 24 * 3600
MONTHS = 12
WEEKS = 12


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


def _actions(organization, space=None, *, spaces=None):
    """Per registered action: its rows in scope, by eligible users, as (user, space, date).

    ``space`` narrows to one space, ``spaces`` (a queryset) to those a space admin holds.
    """
    eligible = eligible_users(organization).values("pk")
    for action in all_participations():
        rows = action.queryset().filter(
            **{f"{action.space_field}__organization": organization, f"{action.user_field}__in": eligible}
        )
        if space is not None:
            rows = rows.filter(**{action.space_field: space})
        if spaces is not None:
            rows = rows.filter(**{f"{action.space_field}__in": spaces})
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


def _participants_of_every_space(organization) -> dict[int, int]:
    """{space id: distinct accounts behind its actions}, for all spaces in one SQL query
    (one query per space was fifty scans of every support and comment on a page)."""
    parts, params = [], []
    for action, rows in _actions(organization):
        # The same column names in every part (the union takes the first part's).
        pairs = rows.order_by().annotate(stats_who=F(action.user_field), stats_space=F(action.space_field))
        sql, sql_params = pairs.values_list("stats_who", "stats_space").query.sql_with_params()
        parts.append(sql)
        params.extend(sql_params)
    if not parts:
        return {}
    # As in participant_count: the parts are SQL compiled by Django, values as parameters.
    union = " UNION ".join(
        f"SELECT * FROM ({part}) AS part_{index}"  # noqa: S608
        for index, part in enumerate(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT stats_space, COUNT(*) FROM ({union}) AS acts GROUP BY stats_space",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


def participants_by_space(organization, spaces) -> dict[int, int]:
    counts = _kept(_key(organization.pk, "by-space"), lambda: _participants_of_every_space(organization))
    return {space.pk: counts.get(space.pk, 0) for space in spaces}


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


def _key(organization_id: int, scope) -> str:
    return f"civitas:stats:{organization_id}:{scope}"


def _kept(key: str, compute):
    """The figures under ``key``: computed when the cache has none; served as they are when
    younger than CACHE_SECONDS; else served still, while a task (one, whatever the number
    of requests meanwhile) computes them afresh."""
    kept = cache.get(key)
    if kept is None:
        data = compute()
        cache.set(key, {"at": time.time(), "data": data}, KEEP_SECONDS)
        return data
    if time.time() - kept["at"] > CACHE_SECONDS and cache.add(f"{key}:refreshing", True, CACHE_SECONDS):
        from civitas.stats.tasks import refresh_statistics

        refresh_statistics(key)
    return kept["data"]


def refresh(key: str) -> None:
    """Compute the figures under ``key`` again and keep them (the task behind ``_kept``)."""
    from civitas.organizations.models import Organization
    from civitas.spaces.models import Space

    _prefix, _name, organization_id, scope = key.split(":")
    organization = Organization.objects.filter(pk=int(organization_id)).first()
    if organization is not None:
        if scope == "by-space":
            data = _participants_of_every_space(organization)
        else:
            space = None if scope == "all" else Space.objects.filter(pk=int(scope)).first()
            data = None if scope != "all" and space is None else _summary_figures(organization, space)
        if data is not None:
            cache.set(key, {"at": time.time(), "data": data}, KEEP_SECONDS)
    cache.delete(f"{key}:refreshing")


def _summary_figures(organization, space=None) -> dict:
    return {
        "participants": participant_count(organization, space),
        "totals": [(total.key, total.count) for total in action_totals(organization, space)],
        "months": contributions_by_month(organization, space),
    }


def summary(organization, space=None) -> dict:
    """Everything the statistics page shows, at most a few minutes old (see ``_kept``)."""
    key = _key(organization.pk, space.pk if space else "all")
    # Only numbers are cached: the labels are read in the reader's language, not in the
    # language of whoever filled the cache (English headers once showed on French pages).
    data = _kept(key, lambda: _summary_figures(organization, space))
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


@dataclass
class Week:
    start: datetime.date  # its Monday
    new_participants: int = 0
    contributions: int = 0
    votes: int = 0


def _as_date(value) -> datetime.date:
    """A day as the database returns it: a date, a datetime, or text on SQLite."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def weekly_activity(organization, spaces=None, *, weeks: int = WEEKS, today=None) -> list[Week]:
    """The last ``weeks`` weeks (Monday to Sunday, the current one last), each with its new
    participants (accounts whose first dated action falls in it), its contributions and its
    votes (actions registered with ``kind="vote"``). Undated actions (secret ballots and
    consultation answers, by design) count in no week. ``spaces`` narrows to a space admin's
    spaces. Two queries per registered action and one for the new participants, whatever
    the number of rows.
    """
    today = today or timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    starts = [this_monday - datetime.timedelta(weeks=back) for back in reversed(range(weeks))]
    by_start = {start: Week(start) for start in starts}
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time.min))

    def week_of(day) -> Week | None:
        day = _as_date(day)
        return by_start.get(day - datetime.timedelta(days=day.weekday()))

    parts, params = [], []
    for action, rows in _actions(organization, spaces=spaces):
        if action.date_field is None:
            continue
        per_day = (
            rows.filter(**{f"{action.date_field}__gte": since})
            .annotate(day=TruncDate(F(action.date_field)))
            .order_by()
            .values("day")
            .annotate(total=Count("pk"))
        )
        for row in per_day:
            if week := week_of(row["day"]):
                if action.kind == VOTE:
                    week.votes += row["total"]
                else:
                    week.contributions += row["total"]
        acts = (
            rows.filter(**{f"{action.date_field}__isnull": False})
            .annotate(who=F(action.user_field), day=TruncDate(F(action.date_field)))
            .order_by()
            .values_list("who", "day")
        )
        sql, sql_params = acts.query.sql_with_params()
        parts.append(sql)
        params.extend(sql_params)
    if parts:
        # As in participant_count: the parts are SQL compiled by Django, values as parameters.
        union = " UNION ALL ".join(
            f"SELECT * FROM ({part}) AS part_{index}"  # noqa: S608
            for index, part in enumerate(parts)
        )
        first_days = (
            f"SELECT first_day, COUNT(*) FROM (SELECT who, MIN(day) AS first_day FROM ({union}) AS acts "  # noqa: S608
            "GROUP BY who) AS firsts WHERE first_day >= %s GROUP BY first_day"
        )
        with connection.cursor() as cursor:
            cursor.execute(first_days, [*params, connection.ops.adapt_datefield_value(starts[0])])
            for day, count in cursor.fetchall():
                if week := week_of(day):
                    week.new_participants += count
    return [by_start[start] for start in starts]
