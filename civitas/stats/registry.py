"""The actions that make someone a participant, declared by the apps where they happen.

"Participants" are the distinct accounts with at least one action, never counting
blocked, deactivated or deleted accounts. Each app registers its actions once, from its
``AppConfig.ready()``::

    from civitas.stats.registry import register_participation

    register_participation(
        "meeting_registration",
        _("Meeting registrations"),
        lambda: Registration.objects.exclude(status="cancelled"),
        user_field="user",
        space_field="meeting__component__space",
        date_field="created_at",
        counted=ngettext_lazy(
            "%(count)s meeting registration", "%(count)s meeting registrations", "count"
        ),
    )

``kind`` is ``"contribution"`` (something written or offered: a proposal, a comment, a
registration) or ``"vote"`` (a support, a ballot, an answer to a consultation): the
back-office dashboard charts the two apart, week by week.

``label`` heads the table's column; ``counted`` says a number of them with the right
plural ("1 inscription à une réunion", never "1 inscriptions aux réunions");
``test_stats_plurals`` fails on an action registered without it.

``queryset`` returns the rows that count (published, not hidden…); the three field
paths say who acted, in which space and when. Secret votes register their participation
records ("this account took part"), never the answers or ballots, and have no date
(``date_field=None``): they count among participants and in the totals, not in the
monthly chart, since dating them would put a time beside the account. Statistics, the contribution charts and
the open data all read from this one registry, so a new component needs nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CONTRIBUTION = "contribution"
VOTE = "vote"


@dataclass(frozen=True)
class Participation:
    key: str
    label: Any
    queryset: Callable[[], Any]
    user_field: str
    space_field: str
    date_field: str | None
    position: int = 100
    counted: Any = None  # ngettext_lazy("%(count)s …", "%(count)s …s", "count")
    kind: str = CONTRIBUTION

    def say_count(self, count: int) -> tuple[str, str]:
        """The words before and after the number, in the reader's language and plural."""
        if self.counted is None:
            return "", str(self.label)
        before, _number, after = (self.counted % {"count": count}).partition(str(count))
        return before, after


_actions: dict[str, Participation] = {}


def register_participation(
    key: str,
    label,
    queryset: Callable[[], Any],
    *,
    user_field: str,
    space_field: str,
    date_field: str | None,
    position: int = 100,
    counted=None,
    kind: str = CONTRIBUTION,
) -> Participation:
    """Registering the same key again replaces it (tests may register actions of their own)."""
    if kind not in (CONTRIBUTION, VOTE):
        raise ValueError(f"kind must be {CONTRIBUTION!r} or {VOTE!r}, not {kind!r}")
    action = Participation(key, label, queryset, user_field, space_field, date_field, position, counted, kind)
    _actions[key] = action
    return action


def unregister_participation(key: str) -> None:
    _actions.pop(key, None)


def all_participations() -> list[Participation]:
    return sorted(_actions.values(), key=lambda action: (action.position, action.key))
