"""Rate limits on log-in, sign-up and the other account forms, and on what participants post.

Counters live in the shared cache (the database or Redis) so that every web process
sees the same numbers. Two keys per action: the client's IP address, and for log-in
the account being tried, so that neither one address nor many addresses can hammer
one account.
"""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

# action -> (rate per IP, rate per account); rates are "count/period" (s, m, h).
DEFAULT_RATES = {
    "login": ("30/10m", "5/15m"),
    "two_factor": ("30/10m", "5/15m"),
    "signup": ("10/h", "3/h"),
    "password_reset": ("10/h", "3/h"),
    "resend_confirmation": ("10/h", "3/h"),
    # Logged-in actions count per account: many people may share one address (a town
    # hall's network, a university), and accounts themselves are limited at sign-up.
    "comment": (None, "20/10m"),
    "comment_vote": (None, "120/10m"),
    "support": (None, "120/10m"),
    # Casting a vote, answering a consultation, confirming or cancelling a budget vote:
    # a person does it a handful of times; a script retrying in a loop is cut off.
    "vote": (None, "30/10m"),
    # Filling a budget basket takes a click per project, and people change their minds.
    "basket": (None, "120/10m"),
    # The read-only API, per address: generous for a re-user's script, not for a flood.
    "api": ("120/m", None),
}


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after_seconds: int = 0


# The bucket of requests whose address is missing or unreadable (a WSGI server on a Unix
# socket gives none): they share one counter rather than crash the rate limiter.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104  (a counter's name, nothing listens on it)


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The visitor's address; behind our load balancer, the one it saw connect.

    Only the last X-Forwarded-For entry is trusted: our proxy appends it, while anything
    to its left came from the client and may be forged.
    """
    if settings.CIVITAS_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = _valid_address(forwarded.rsplit(",", 1)[-1])
        if last:
            return last
    return _valid_address(request.META.get("REMOTE_ADDR", "")) or UNKNOWN_ADDRESS


def participant_verdict(request, action: str) -> Verdict:
    """Count one posting by the logged-in person; limited once over the action's rate."""
    return record(request, action, f"user-{request.user.pk}")


def _rates(action: str) -> tuple[str | None, str | None]:
    return getattr(settings, "CIVITAS_RATE_LIMITS", {}).get(action, DEFAULT_RATES[action])


def _account_key(request, account: str) -> str:
    organization = getattr(request, "organization", None)
    return f"{organization.pk if organization else 'system'}:{account.strip().lower()}"


def _usages(request, action: str, account: str | None, increment: bool):
    ip_rate, account_rate = _rates(action)
    if ip_rate:
        yield get_usage(request, group=f"{action}:ip", key="ip", rate=ip_rate, increment=increment)
    if account_rate and account:
        yield get_usage(
            request,
            group=f"{action}:account",
            key=lambda _group, req: _account_key(req, account),
            rate=account_rate,
            increment=increment,
        )


def check(request, action: str, account: str | None = None) -> Verdict:
    """Is this client (or this account) over its limit? Does not count an attempt."""
    return _verdict(_usages(request, action, account, increment=False), strict=True)


def record(request, action: str, account: str | None = None) -> Verdict:
    """Count one attempt, e.g. a failed log-in, and say whether the limit is now reached."""
    return _verdict(_usages(request, action, account, increment=True), strict=False)


def _verdict(usages, *, strict: bool) -> Verdict:
    worst = 0
    limited = False
    for usage in usages:
        if usage is None:
            continue
        over = usage["count"] >= usage["limit"] if strict else usage["count"] > usage["limit"]
        if over:
            limited = True
            worst = max(worst, usage["time_left"])
    return Verdict(limited, max(worst, 1) if limited else 0)


def has_recent_failures(request, action: str, account: str | None = None) -> bool:
    return any(usage and usage["count"] > 0 for usage in _usages(request, action, account, increment=False))
