"""Which phase is current: the pure rule, the date-driven switch, its periodic task and the blueprints."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone
from django.utils.translation import override
from huey.contrib.djhuey import HUEY

from civitas.actionlog.models import ActionLogEntry
from civitas.spaces import tasks
from civitas.spaces.blueprints import BLUEPRINTS
from civitas.spaces.models import Phase, Space
from civitas.spaces.phases import phase_for_day
from civitas.spaces.services import do_create_space, switch_phases_by_date

PARIS = ZoneInfo("Europe/Paris")


# --- phase_for_day: framework-free ----------------------------------------------------------


@dataclass
class P:
    name: str
    start_date: date | None
    end_date: date | None


def d(day: int, month: int = 3) -> date:
    return date(2025, month, day)


SEQUENCE = [P("one", d(1), d(10)), P("two", d(15), d(20)), P("three", d(21), None)]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (d(28, 2), None),  # before the first phase
        (d(1), "one"),  # first day
        (d(10), "one"),  # last day, inclusive
        (d(12), "one"),  # between phases: the last one that started
        (d(15), "two"),
        (d(20), "two"),
        (d(21), "three"),
        (d(1, 12), "three"),  # open-ended phase goes on forever
    ],
)
def test_phase_for_day_sequence(day, expected):
    phase = phase_for_day(SEQUENCE, day)
    assert (phase.name if phase else None) == expected


def test_no_phase_or_no_dated_phase_means_none():
    assert phase_for_day([], d(5)) is None
    assert phase_for_day([P("undated", None, None), P("open", None, d(30))], d(5)) is None


def test_overlapping_phases_latest_starting_wins():
    long, short = P("long", d(1), d(31)), P("short", d(10), d(15))
    assert phase_for_day([long, short], d(9)).name == "long"
    assert phase_for_day([long, short], d(10)).name == "short"  # takes over on its first day
    assert phase_for_day([long, short], d(15)).name == "short"
    # The short one ended: the long one, still running, is current again.
    assert phase_for_day([long, short], d(16)).name == "long"
    # Display order does not matter.
    assert phase_for_day([short, long], d(12)).name == "short"


def test_open_ended_phases_latest_start_wins():
    phases = [P("a", d(1), None), P("b", d(5), None)]
    assert phase_for_day(phases, d(3)).name == "a"
    assert phase_for_day(phases, d(5)).name == "b"


# --- switch_phases_by_date ------------------------------------------------------------------


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, 0, tzinfo=PARIS), tick=False)


def _process(org, switching, slug, published=True):
    space = Space.objects.create(
        organization=org,
        slug=slug,
        title=slug,
        phase_switching=switching,
        published_at=timezone.now() if published else None,
    )
    phases = [
        Phase.objects.create(space=space, title="Idées", start_date=d(1), end_date=d(10), position=0),
        Phase.objects.create(space=space, title="Vote", start_date=d(15), end_date=d(20), position=1),
    ]
    return space, phases


def _log(action="phase.activate_by_date"):
    return ActionLogEntry.objects.filter(action=action)


@pytest.mark.django_db
def test_switch_by_date_only_touches_date_driven_spaces(org_a, org_b):
    by_date, (ideas, vote) = _process(org_a, Space.PhaseSwitching.BY_DATE, "auto")
    other_org, (other_ideas, _vote) = _process(org_b, Space.PhaseSwitching.BY_DATE, "auto-b")
    manual, (manual_ideas, manual_vote) = _process(org_a, Space.PhaseSwitching.MANUAL, "manual")
    manual.active_phase = manual_vote
    manual.save()

    with _at(d(5)):
        assert switch_phases_by_date() == 2
    by_date.refresh_from_db()
    other_org.refresh_from_db()
    manual.refresh_from_db()
    assert by_date.active_phase == ideas
    assert other_org.active_phase == other_ideas
    assert manual.active_phase == manual_vote  # untouched, although "Idées" is current by date
    entries = _log()
    assert entries.count() == 2
    entry = entries.get(space=by_date)
    assert entry.organization == org_a and entry.user is None
    assert entry.after == {"active_phase": ideas.pk}
    assert not _log().filter(space=manual).exists()

    # Running again the same day changes nothing and logs nothing.
    with _at(d(5)):
        assert switch_phases_by_date() == 0
    assert _log().count() == 2

    # Between phases the first one stays; on the next phase's first day it switches once.
    with _at(d(12)):
        assert switch_phases_by_date() == 0
    with _at(d(15)):
        assert switch_phases_by_date() == 2
        assert switch_phases_by_date() == 0
    by_date.refresh_from_db()
    manual.refresh_from_db()
    assert by_date.active_phase == vote
    assert manual.active_phase == manual_vote
    assert _log().filter(space=by_date).count() == 2
    assert not ActionLogEntry.objects.filter(space=manual).exists()


@pytest.mark.django_db
def test_switch_before_first_phase_clears_a_stale_current_phase(org_a):
    space, (ideas, _vote) = _process(org_a, Space.PhaseSwitching.BY_DATE, "auto")
    with _at(d(20, 2)):
        assert switch_phases_by_date() == 0  # nothing current, nothing was current
        space.active_phase = ideas
        space.save()
        assert switch_phases_by_date() == 1
    space.refresh_from_db()
    assert space.active_phase is None
    assert _log().get().after == {"active_phase": None}


@pytest.mark.django_db
def test_switch_accepts_an_explicit_day(org_a):
    space, (_ideas, vote) = _process(org_a, Space.PhaseSwitching.BY_DATE, "auto")
    assert switch_phases_by_date(today=d(16)) == 1
    space.refresh_from_db()
    assert space.active_phase == vote


@pytest.mark.django_db
def test_periodic_task_switches_phases(org_a):
    space, (ideas, _vote) = _process(org_a, Space.PhaseSwitching.BY_DATE, "auto")
    task = tasks.switch_phases_every_hour
    # Registered with the queue as periodic: due once an hour, at minute 5.
    due = {type(t) for t in HUEY.read_periodic(datetime(2025, 3, 5, 10, 5))}
    assert task.task_class in due
    assert task.task_class not in {type(t) for t in HUEY.read_periodic(datetime(2025, 3, 5, 10, 6))}
    with _at(d(5)):
        assert task.call_local() == 1
        assert task.call_local() == 0
    space.refresh_from_db()
    assert space.active_phase == ideas
    assert _log().count() == 1


# --- blueprints -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "count"), [("participatory_budget", 7), ("citizen_convention", 5)])
def test_blueprint_creates_ordered_phases(org_a, admin_a, key, count):
    space = do_create_space(
        organization=org_a, user=admin_a, blueprint=key, title=f"Process {key}", kind=Space.Kind.PROCESS
    )
    phases = list(space.phases.all())
    assert len(phases) == count
    assert [phase.position for phase in phases] == list(range(count))
    with override(org_a.default_locale):
        expected = [str(title) for title, _description in BLUEPRINTS[key].phases]
    assert [phase.title for phase in phases] == expected
    assert all(phase.description for phase in phases)
    assert space.active_phase is None
    assert ActionLogEntry.objects.filter(action="space.create", space=space).count() == 1


@pytest.mark.django_db
def test_no_blueprint_no_phase(org_a, admin_a):
    space = do_create_space(organization=org_a, user=admin_a, title="Assemblée", kind=Space.Kind.ASSEMBLY)
    assert not space.phases.exists()
