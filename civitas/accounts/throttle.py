"""Rate limits on log-in, sign-up and the other account forms, and on what participants post.

Counters live in the shared cache (the database or Redis) so that every web process
sees the same numbers. An address counts as its network: an IPv6 client holds a whole
/64 and can pick any address in it, so IPv6 is counted per /64 and IPv4 per address.

Log-in throttles the attacker, not the owner. Failures are counted per network and per
(account, network); past those limits that network gets 429. An account that failed
from anywhere gets the CAPTCHA on its log-in form, from every address, but is never
locked: five wrong passwords typed by someone else must not keep the owner out.
"""

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches

from civitas.core import counters


@dataclass(frozen=True)
class Rates:
    """How many tries each counter allows, as "count/period" (period in s, m or h)."""

    per_address: str | None = None
    # The account, whichever address tries it: a lock. Fine for sign-up or a password
    # reset (a flood of e-mails), never for log-in (anyone could lock the owner out).
    per_account: str | None = None
    # The account tried from one network: the attacker's budget, not the owner's.
    per_account_and_address: str | None = None
    # Not a limit: once the account has this many failures from any address, its
    # log-in form asks for the CAPTCHA from every address.
    captcha_per_account: str | None = None


_LOGIN = Rates(per_address="30/10m", per_account_and_address="5/15m", captcha_per_account="1/15m")

# action -> Rates, or the short form (rate per address, rate per account).
DEFAULT_RATES = {
    "login": _LOGIN,
    # The system panel: its admins belong to the installation, so their counters are the
    # same whichever organization's host serves the panel.
    "system_login": _LOGIN,
    # The second step of a log-in: whoever reaches it holds the password. Six digits
    # fall to a patient attacker spread over many addresses, so this one is a lock.
    "two_factor": ("30/10m", "5/15m"),
    "system_two_factor": ("30/10m", "5/15m"),
    # The e-mail that lets someone set up their first authentication app.
    "two_factor_setup": (None, "3/h"),
    "signup": ("10/h", "3/h"),
    "password_reset": ("10/h", "3/h"),
    "resend_confirmation": ("10/h", "3/h"),
    # Each try of a new address sends an e-mail (to it, or to the account that has it).
    "email_change": (None, "5/h"),
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
    # Address suggestions ask the organization's geocoder, often a shared public service:
    # a few per address typed, not a script walking through a street list.
    "geocode": ("300/10m", "120/10m"),
    # The read-only API, per address: generous for a re-user's script, not for a flood.
    "api": ("120/m", None),
}

# Actions whose accounts are the installation's system admins, not an organization's.
INSTALLATION_ACTIONS = {"system_login", "system_two_factor"}


@dataclass(frozen=True)
class Verdict:
    limited: bool
    retry_after_seconds: int = 0


# The bucket of requests whose address is missing or unreadable (a WSGI server on a Unix
# socket gives none): they share one counter rather than crash the rate limiter.
UNKNOWN_ADDRESS = "0.0.0.0"  # noqa: S104  (a counter's name, nothing listens on it)


def _valid_address(value: str) -> str | None:
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    # A dual-stack socket shows IPv4 clients as ::ffff:a.b.c.d; counted per /64, every
    # IPv4 client in the world would share one counter.
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


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


def client_network(request) -> str:
    """What rate limits count as one client: the address for IPv4, its /64 for IPv6."""
    address = ipaddress.ip_address(client_ip(request))
    prefix = 64 if address.version == 6 else 32
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def participant_verdict(request, action: str) -> Verdict:
    """Count one posting by the logged-in person; limited once over the action's rate."""
    return record(request, action, f"user-{request.user.pk}")


def _rates(action: str) -> Rates:
    rates = getattr(settings, "CIVITAS_RATE_LIMITS", {}).get(action, DEFAULT_RATES[action])
    if isinstance(rates, Rates):
        return rates
    per_address, per_account = rates
    return Rates(per_address=per_address, per_account=per_account)


def _account_key(request, action: str, account: str) -> str:
    if action in INSTALLATION_ACTIONS:
        owner = "installation"
    else:
        organization = getattr(request, "organization", None)
        owner = organization.pk if organization else "installation"
    # Keyed with the installation's secret: the counters sit in the cache (a database table
    # on the embedded defaults) with the moment of their first hit as expiry, and an account's
    # id or e-mail there would tell, to whoever copies the database, when it voted.
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"civitas-throttle\0{account.strip().lower()}".encode(), hashlib.sha256
    ).hexdigest()[:32]
    return f"{owner}:{digest}"


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _split_rate(rate: str) -> tuple[int, int]:
    """The limit and the period in seconds of a rate such as ``30/10m`` (30, 600)."""
    limit, period = rate.split("/")
    unit = period[-1]
    return int(limit), int(period[:-1] or 1) * _PERIODS[unit]


def _usage(request, action, scope, key, rate, increment):
    """One fixed-window counter: ``period`` seconds long, counted in the shared cache.

    A hit costs one statement on the database (core.counters) and none with Redis. The
    counter's name is a digest of the action, the window and the key, so that neither an
    address nor an account digest shows in the cache.
    """
    limit, period = _split_rate(rate)
    now = int(time.time())
    window_end = now - now % period + period
    name = hashlib.sha256(f"{action}\0{scope}\0{limit}/{period}\0{window_end}\0{key}".encode()).hexdigest()
    cache = caches[settings.RATELIMIT_USE_CACHE]
    if increment:
        count = counters.hit(cache, f"rl:{name}", period + 1)
    else:
        count = counters.count(cache, f"rl:{name}")
    return {"count": count, "limit": limit, "time_left": window_end - now}


def _limits(request, action: str, account: str | None, increment: bool):
    """The usage of each counter that can refuse this request."""
    rates = _rates(action)
    network = client_network(request)
    if rates.per_address:
        yield _usage(request, action, "ip", network, rates.per_address, increment)
    if account and rates.per_account:
        yield _usage(
            request, action, "account", _account_key(request, action, account), rates.per_account, increment
        )
    if account and rates.per_account_and_address:
        key = f"{_account_key(request, action, account)}@{network}"
        yield _usage(request, action, "account-ip", key, rates.per_account_and_address, increment)


def _account_failures(request, action: str, account: str | None, increment: bool):
    rate = _rates(action).captcha_per_account
    if not (account and rate):
        return None
    return _usage(
        request, action, "account-failures", _account_key(request, action, account), rate, increment
    )


def check(request, action: str, account: str | None = None) -> Verdict:
    """Is this client (or this account) over its limit? Does not count an attempt."""
    return _verdict(_limits(request, action, account, increment=False), strict=True)


def record(request, action: str, account: str | None = None) -> Verdict:
    """Count one attempt, e.g. a failed log-in, and say whether the limit is now reached."""
    _account_failures(request, action, account, increment=True)
    return _verdict(_limits(request, action, account, increment=True), strict=False)


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


def captcha_required(request, action: str, account: str | None = None) -> bool:
    """After a failure from this network, or enough failures for this account from anywhere."""
    if any(usage and usage["count"] > 0 for usage in _limits(request, action, account, increment=False)):
        return True
    failures = _account_failures(request, action, account, increment=False)
    return bool(failures and failures["count"] >= failures["limit"])
