"""The production configuration passes Django's deployment checks and hardens cookies and headers."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.security("production settings: CSP, HSTS, cookies")


def _production_environment(tmp_path) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        # The test runner's own switches (conftest allows async-unsafe calls) are not production's.
        if key not in ("DJANGO_SETTINGS_MODULE", "CIVITAS_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL")
    }
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CIVITAS_HTTPS": "true",
            "CIVITAS_BEHIND_PROXY": "true",
            "CIVITAS_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        }
    )
    return environment


def test_check_deploy_is_clean(tmp_path):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_and_headers(tmp_path):
    script = """
import json, django
django.setup()
from django.conf import settings as s
from django.test import Client
response = Client().get("/healthz", HTTP_X_FORWARDED_PROTO="https", secure=True)
print(json.dumps({
    "session_secure": s.SESSION_COOKIE_SECURE, "session_httponly": s.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": s.CSRF_COOKIE_SECURE, "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "hsts": response.headers.get("Strict-Transport-Security", ""),
    "frame": response.headers.get("X-Frame-Options", ""),
    "nosniff": response.headers.get("X-Content-Type-Options", ""),
    "debug": s.DEBUG,
}))
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**_production_environment(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert (
        seen["session_secure"] and seen["session_httponly"] and seen["csrf_secure"] and seen["ssl_redirect"]
    )
    assert seen["debug"] is False
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert seen["frame"] == "DENY"
    assert seen["nosniff"] == "nosniff"
