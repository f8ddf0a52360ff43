"""What the back-office dashboard shows: activity over twelve weeks, what needs attention,
the latest entries of the action log; all scoped to the reader's organization (and to their
own spaces for a space admin), in a fixed number of queries whatever the data."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from civitas.actionlog.models import ActionLogEntry
from civitas.actionlog.registry import describe, names_its_target
from civitas.core.attention import Scope, attention_items
from civitas.stats.chart import Chart, bar_chart
from civitas.stats.services import WEEKS, weekly_activity

RECENT_ENTRIES = 10


@dataclass
class ActivityChart:
    key: str
    title: str
    total: int
    chart: Chart


@dataclass
class RecentEntry:
    entry: ActionLogEntry
    sentence: str
    target: str


def activity(organization, spaces, whole_organization: bool) -> dict:
    weeks = weekly_activity(organization, None if whole_organization else spaces, weeks=WEEKS)
    labels = [formats.date_format(week.start, "j N") for week in weeks]
    series = (
        ("participants", _("New participants"), [week.new_participants for week in weeks]),
        ("contributions", _("Contributions"), [week.contributions for week in weeks]),
        ("votes", _("Votes and answers"), [week.votes for week in weeks]),
    )
    charts = [
        ActivityChart(
            key, title, sum(values), bar_chart(list(zip(labels, values, strict=True)), width=300, height=170)
        )
        for key, title, values in series
    ]
    rows = [
        (label, week.start, week.new_participants, week.contributions, week.votes)
        for label, week in zip(labels, weeks, strict=True)
    ]
    return {"charts": charts, "weeks": rows, "first_label": labels[0], "last_label": labels[-1]}


def recent_entries(organization, spaces, whole_organization: bool) -> list[RecentEntry]:
    entries = ActionLogEntry.objects.filter(organization=organization).select_related("user", "space")
    if not whole_organization:
        entries = entries.filter(space__in=spaces)
    return [
        RecentEntry(entry, describe(entry), "" if names_its_target(entry) else entry.target_repr)
        for entry in entries.order_by("-created_at", "-pk")[:RECENT_ENTRIES]
    ]


def dashboard_context(request, spaces, whole_organization: bool) -> dict:
    organization = request.organization
    return {
        "attention": attention_items(Scope(organization, spaces, whole_organization)),
        "activity": activity(organization, spaces, whole_organization),
        "recent": recent_entries(organization, spaces, whole_organization),
    }
