"""The access log gunicorn writes links nobody to what they chose (see core/access_log.py).

Checked over every URL pattern of the project, not one page: a value put into any path
(a project added to a budget ballot, a trustee's one-time token, a receipt) never reaches
the log line, nor the client's address, the query string, the size or the referrer.
"""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from gunicorn.config import Config

from civitas.core.access_log import PrivateAccessLogger, route_of

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.security("access log: no address, path value or size")

# A distinctive value per converter, so that finding it in a log line is unambiguous.
SAMPLES = {
    "int": "9876543",
    "slug": "zq-secret-slug",
    "str": "ZQSECRETTOKEN",
    "uuid": None,
    "path": "zq/secret/path",
}
UUID_SAMPLE = "5f0c6b9e-1d2a-4c3b-8e7f-0a1b2c3d4e5f"
_PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _sample(match: re.Match) -> str:
    converter = match.group("converter") or "str"
    if converter == "uuid":
        return UUID_SAMPLE
    return SAMPLES.get(converter) or SAMPLES["str"]


def _every_route(patterns=None, prefix: str = ""):
    """Every project route as a string with its parameters (``re_path`` ones are skipped:
    none of ours takes a value from the person's choice)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _every_route(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route


def test_every_route_is_logged_as_its_pattern_never_with_its_values():
    routes = [route for route in _every_route() if _PARAMETER.search(route)]
    assert len(routes) > 100, "the walk over the project's URL patterns found too few"
    leaked, unresolved = [], []
    for route in routes:
        path = "/" + _PARAMETER.sub(_sample, route)
        logged = route_of(path)
        if logged == "-":
            unresolved.append(path)
        if any(value in logged for value in (*filter(None, SAMPLES.values()), UUID_SAMPLE)):
            leaked.append((path, logged))
    assert not leaked, f"path values reach the access log: {leaked[:5]}"
    # A route we could not resolve back is logged as "-": harmless, but it would mean the
    # walk tests nothing for it.
    assert len(unresolved) < len(routes) / 10, unresolved[:10]


def test_unknown_paths_are_not_logged_at_all():
    assert route_of("/ballots/trustee/ZQSECRETTOKEN/extra/") == "-"
    assert route_of("/no-such-page/with-a-token-in-it/") == "-"


def _log_line(logger_class) -> str:
    config = Config()
    config.set("accesslog", "-")
    logger = logger_class(config)
    stream = io.StringIO()
    for handler in list(logger.access_log.handlers):
        logger.access_log.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    logger.access_log.addHandler(handler)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/ballots/trustee/ZQSECRETTOKEN/",
        "QUERY_STRING": "next=/spaces/zq-secret-slug/",
        "RAW_URI": "/ballots/trustee/ZQSECRETTOKEN/?next=/spaces/zq-secret-slug/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_REFERER": "https://town.example/spaces/zq-secret-slug/",
        "HTTP_USER_AGENT": "ZQBrowser/1.0",
        "HTTP_X_FORWARDED_FOR": "198.51.100.23",
    }
    response = SimpleNamespace(status="302 Found", sent=987123, headers=[("Content-Length", "987123")])
    request = SimpleNamespace(headers=[("X-FORWARDED-FOR", "198.51.100.23")])
    logger.access(response, request, environ, timedelta(milliseconds=41))
    return stream.getvalue()


def test_a_request_line_keeps_only_time_method_pattern_status_and_duration():
    line = _log_line(PrivateAccessLogger)
    assert "/ballots/trustee/<str:token>/" in line and '"POST ' in line and " 302 " in line and "41ms" in line
    for secret in ("ZQSECRETTOKEN", "zq-secret-slug", "203.0.113.77", "198.51.100.23", "ZQBrowser", "987123"):
        assert secret not in line, f"{secret} reached the access log: {line}"


def test_the_stock_logger_would_have_leaked_them():
    """The check above can fail: gunicorn's own logger writes the token and the address."""
    from gunicorn.glogging import Logger

    line = _log_line(Logger)
    assert "ZQSECRETTOKEN" in line and "203.0.113.77" in line


def test_gunicorn_started_from_the_project_uses_it():
    namespace: dict = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own config file
    assert namespace["logger_class"] == "civitas.core.access_log.PrivateAccessLogger"
    run = (ROOT / "scripts" / "run.sh").read_text()
    assert "--logger-class" not in run and "--access-logformat" not in run


def test_django_request_errors_name_the_pattern_not_the_path(rf, caplog):
    from django.http import HttpResponseServerError
    from django.utils.log import log_response

    path = "/ballots/trustee/ZQSECRETTOKEN/"
    with caplog.at_level(logging.ERROR, logger="django.request"):
        # What Django's handler logs on an unhandled exception, through the configured logger.
        log_response(
            "%s: %s", "Internal Server Error", path, response=HttpResponseServerError(), request=rf.get(path)
        )
    messages = [record.getMessage() for record in caplog.records if record.name == "django.request"]
    assert messages == ["Internal Server Error: /ballots/trustee/<str:token>/"]
