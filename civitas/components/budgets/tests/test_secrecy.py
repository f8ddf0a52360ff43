"""After a confirmed vote, nothing in the database says what the account chose, nor when.

The attacker has a full copy of the database taken right after the vote: every row of
every table. The voter's projects have ids found nowhere else, so any column holding one
of them (a draft line, a ballot in clear, a log) would give the choice; any date and time
of the moment of the vote would let the ballot's day and the account be paired; the
receipt hash beside anything would pair the account with its ballot once published.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from civitas.components.budgets import services
from civitas.components.budgets.models import Budget, Project
from civitas.sealing.receipts import receipt_hash

pytestmark = pytest.mark.django_db

# Ids no other row of the test database has: a value holding one of them is the choice.
CHOSEN = (987_654_301, 987_654_302)
NOT_CHOSEN = 987_654_303
# The projects themselves (and their link to proposals) naturally hold their ids.
PROJECT_TABLES = {"budgets_project", "budgets_project_proposals"}


def _all_rows():
    """(table, column, value) of every value of every table, as the database returns it."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (introspected names)
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    yield table, column, value


def _as_text(value) -> str:
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("latin-1")
    return str(value)


# A date and time as databases, JSON and logs write it (seconds at least).
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?")


def _as_moment(moment: datetime.datetime) -> datetime.datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


def _moments(value, text: str) -> list[datetime.datetime]:
    """Every date and time a value holds: a datetime, or written in its text (SQLite, JSON)."""
    if isinstance(value, datetime.datetime):
        return [_as_moment(value)]
    moments = []
    for written in TIMESTAMP.findall(text):
        try:
            moments.append(_as_moment(datetime.datetime.fromisoformat(written.replace("Z", "+00:00"))))
        except ValueError:
            continue
    return moments


@pytest.fixture
def budget_with_known_ids(budgets_component):
    budget = Budget.objects.create(component=budgets_component, title="Centre-ville", total=1000)
    for pk, title in zip((*CHOSEN, NOT_CHOSEN), ("Piste cyclable", "Bancs", "Fontaine"), strict=True):
        Project.objects.create(pk=pk, budget=budget, title=title, amount=300)
    return budget


@pytest.mark.security("ballot secrecy")
@pytest.mark.parametrize("way", ["basket then checkout", "ballot form"])
def test_after_confirming_no_row_holds_the_choice_the_receipt_or_the_time(budget_with_known_ids, voter, way):
    budget = budget_with_known_ids
    chosen = list(Project.objects.filter(pk__in=CHOSEN))
    # Voting starts with a draft that names the voter, some time before confirming.
    services.do_add_project(budget=budget, user=voter, project=chosen[0])
    start = timezone.now()
    if way == "basket then checkout":
        services.do_add_project(budget=budget, user=voter, project=chosen[1])
        receipt = services.do_checkout(budget=budget, user=voter)
    else:
        receipt = services.do_choose_projects(
            budget=budget, user=voter, project_ids=list(CHOSEN), confirm=True
        )
    end = timezone.now()
    code = receipt if isinstance(receipt, str) else receipt.code

    found = []
    secrets = [str(pk) for pk in CHOSEN] + [receipt_hash(code), code]
    for table, column, value in _all_rows():
        text = _as_text(value)
        if table not in PROJECT_TABLES and (value in CHOSEN or any(secret in text for secret in secrets)):
            found.append(f"{table}.{column} holds the choice or the receipt: {text[:80]}")
        if any(start <= moment <= end for moment in _moments(value, text)):
            found.append(f"{table}.{column} holds the time of the vote: {text[:80]}")
    assert found == []
    # The vote is there all the same: one encrypted ballot, and the account marked as a voter.
    assert budget.ballot_count() == 1
    assert services.order_summary(budget, voter).checked_out
