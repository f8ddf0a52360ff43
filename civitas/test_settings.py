"""Settings for the test suite: the real settings with fast, in-process side effects."""

import os

from civitas.settings import *  # noqa: F403
from civitas.settings import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in-process right after the transaction commits, so tests see their effect.
HUEY = {**HUEY, "immediate": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CAPTCHA_MIN_FILL_SECONDS = 0

# A file, not memory: concurrency tests need real SQLite locking between connections
# (WAL, IMMEDIATE transactions, busy timeout), exactly as in production.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per test process, so parallel runs never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405

# Parallel test processes must not share Redis counters or queues: each xdist worker
# gets its own Redis database (15, 14, …), which the tests may flush freely.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
if REDIS_URL and REDIS_URL.rstrip("/").rsplit("/", 1)[-1].isdigit():  # noqa: F405
    _base, _db = REDIS_URL.rstrip("/").rsplit("/", 1)  # noqa: F405
    _worker_url = f"{_base}/{int(_db) - int(_worker.removeprefix('gw') or 0)}"
    for _alias in CACHES:  # noqa: F405
        CACHES[_alias]["LOCATION"] = _worker_url  # noqa: F405
    HUEY = {**HUEY, "url": _worker_url}

# Static files are served from the app folders in tests; an empty STATIC_ROOT keeps
# WhiteNoise from warning on a fresh checkout where collectstatic never ran.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# No test reaches the network: the public geocoders are replaced by an address where
# nothing listens (a refused connection, as when a geocoder is down); tests that geocode
# run their own small servers on 127.0.0.1 (civitas.testing.geoservers).
CIVITAS_GEOCODER_PUBLIC_URLS = {
    "ban": "http://127.0.0.1:9",
    "nominatim": "http://127.0.0.1:9",
    "photon": "http://127.0.0.1:9",
}
CIVITAS_GEOCODER_ALLOW_PRIVATE_ADDRESSES = True
CIVITAS_GEOCODER_TIMEOUT = 2

# On PostgreSQL, a commit need not wait for the write-ahead log to reach the disk: a test
# database is thrown away, and the suite commits tens of thousands of times (every
# transactional test, and the flush after it). What a commit makes visible is unchanged.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
