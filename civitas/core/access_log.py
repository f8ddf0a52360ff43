"""gunicorn's access log, written so that it links nobody to what they chose.

A stock access log line holds the client's address, the full path, the response size,
the referrer and the browser. During a vote that is enough to undo ballot secrecy outside
the database: ``POST …/projects/12/add/`` says which project a person put in their
budget ballot, the size of the receipt page grows with the projects it lists, and a
trustee's one-time link sits in the path. This logger keeps what running the site
needs (when, which kind of page, the status, how long it took) and drops the rest:

    [06/Dec/2026:16:03:11 +0000] "POST /ballots/trustee/<str:token>/" 302 41ms

Every path is logged as the URL pattern it matched, never with its values; a path that
matches no pattern (a mistyped address, a probe) is logged as ``-``. Static files keep
their path: they are the same for everyone.

``gunicorn.conf.py`` at the project's root selects it (gunicorn reads that file from
the directory it starts in); elsewhere pass ``--logger-class
civitas.core.access_log.PrivateAccessLogger``.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import Resolver404, resolve
from gunicorn.glogging import Logger

FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(M)sms'


def route_of(path: str) -> str:
    """The URL pattern ``path`` matches, without its values; ``-`` when none does."""
    static = settings.STATIC_URL or "/static/"
    if path.startswith(static):
        return path
    try:
        match = resolve(path)
    except Resolver404:
        return "-"
    except Exception:  # a path Django cannot even decode: still nothing of it is logged
        return "-"
    return "/" + match.route


class PrivateAccessLogger(Logger):
    """Logs the time, method, matched pattern, status and duration of each request; no
    address, query string, size, referrer or browser (see the module's docstring)."""

    def atoms(self, resp, req, environ, request_time):
        full = super().atoms(resp, req, environ, request_time)
        # Only these survive; the wrapper prints "-" for every other atom a custom
        # access_log_format may name (addresses, headers, sizes).
        return {
            "t": full["t"],
            "m": full["m"],
            "U": route_of(environ.get("PATH_INFO", "")),
            "s": full["s"],
            "M": full["M"],
            "L": full["L"],
        }

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        self.access_log.info(FORMAT, self.atoms_wrapper_class(self.atoms(resp, req, environ, request_time)))


class PathAsRouteFilter(logging.Filter):
    """For Django's request logger ("Internal Server Error: /path"): the same pattern in
    place of the path, so an error on a trustee's link does not log the link."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args and isinstance(args[-1], str) and args[-1].startswith("/"):
            record.args = (*args[:-1], route_of(args[-1]))
        return True
