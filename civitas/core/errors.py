"""The page a visitor gets when the server fails.

Most failures are bugs and get the generic 500 page. A database that refuses writes
(read-only, full disk) or cannot be reached is different: nothing is wrong with what the
visitor sent, and nothing already saved is at risk, so they get a 503 that says exactly
that and asks them to try again, with a Retry-After for well-behaved clients.

Redis (the shared cache, the rate limits and the task queue, when it is configured) out
of reach is the same kind of failure, but what was sent may or may not have been saved
before it showed (a vote is committed before its notifications are queued): its page
says so, and asks the visitor to reload and check rather than send it again blindly.
"""

import errno
import logging
import sys

from django.db import Error as DatabaseDriverError
from django.http import HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("civitas.errors")

# PostgreSQL SQLSTATEs: read-only transaction, insufficient resources (disk full, out of
# memory), admin shutdown or terminated backend, connection failures.
UNAVAILABLE_SQLSTATES = {
    "25006",
    *("53000", "53100", "53200"),
    *("57P01", "57P02", "57P03"),
    *("08000", "08003", "08006"),
}
# SQLite reports the same conditions only in its messages.
UNAVAILABLE_MESSAGES = (
    "attempt to write a readonly database",
    "database or disk is full",
    "disk i/o error",
    "database is locked",
    "unable to open database file",
    "read-only transaction",
    "no space left on device",
    "server closed the connection",
    "connection refused",
    "connection already closed",
    "the connection is closed",
    "terminating connection",
)
RETRY_AFTER_SECONDS = 60

try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import InvalidResponse as RedisInvalidResponse
    from redis.exceptions import TimeoutError as RedisTimeoutError

    # Refused, reset, timed out, or something else than Redis answering at its address.
    REDIS_UNREACHABLE: tuple[type[BaseException], ...] = (
        RedisConnectionError,
        RedisTimeoutError,
        RedisInvalidResponse,
    )
except ImportError:  # an installation without Redis
    REDIS_UNREACHABLE = ()


def storage_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` means the data store cannot save right now, not a bug."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return True
    # Not only DatabaseError: a connection that died under a request surfaces as an
    # InterfaceError, which Django does not derive from DatabaseError.
    if not isinstance(error, DatabaseDriverError):
        return False
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if sqlstate in UNAVAILABLE_SQLSTATES:
        return True
    message = str(error).lower()
    return any(marker in message for marker in UNAVAILABLE_MESSAGES)


def cache_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` means Redis cannot be reached (refused, reset, timed out, or not
    Redis at the configured address)."""
    return bool(REDIS_UNREACHABLE) and isinstance(error, REDIS_UNREACHABLE)


API_PREFIX = "/api/"


def for_the_api(request) -> bool:
    """Whether ``request`` is the API's, whose errors are JSON (civitas.api.errors' shape)."""
    return request.path.startswith(API_PREFIX)


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    for_api = for_the_api(request)
    if storage_unavailable(error):
        logger.error("Storage unavailable while serving %s: %s", request.path, error)
        return api_error(503, "unavailable") if for_api else _unavailable("503_storage.html")
    if cache_unavailable(error):
        logger.error("Redis unreachable while serving %s: %s", request.path, error)
        return api_error(503, "unavailable") if for_api else _unavailable("503_redis.html")
    if for_api:
        return api_error(500, "server_error")
    return HttpResponse(loader.get_template(template_name).render(), status=500)


def _unavailable(template_name: str) -> HttpResponse:
    response = HttpResponse(loader.get_template(template_name).render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# The API's own error shape (civitas.api.errors), for what fails beneath its views.
_API_MESSAGES = {
    "unavailable": "The service is temporarily unavailable; try again later.",
    "server_error": "The server failed to answer.",
    "csrf": "The request lacks a valid CSRF token: the API only reads (GET).",
}


def api_error(status: int, code: str) -> JsonResponse:
    response = JsonResponse(
        {"error": {"status": status, "code": code, "message": _API_MESSAGES[code]}}, status=status
    )
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
