import os

import pytest
from django.core.cache import caches
from django.test import Client

from civitas.testing.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory

pytest_plugins = ["civitas.testing.security_cases"]


def _uses_database(request) -> bool:
    return bool(request.node.get_closest_marker("django_db")) or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _fresh_caches(request, settings):
    """Rate-limit counters and used CAPTCHA nonces must not leak from one test to the next."""
    for alias, config in settings.CACHES.items():
        if config["BACKEND"].endswith("DatabaseCache") and not _uses_database(request):
            continue
        caches[alias].clear()
    yield


@pytest.fixture(scope="session")
def migrated_sqlite_folder(tmp_path_factory):
    """A folder whose ``db.sqlite3`` ``manage.py migrate`` alone prepared, with the embedded
    defaults (SQLite, the database cache), whatever database the suite runs on: migrating
    afresh takes 18 s, so the tests that need such a database share one (copy it to change it)."""
    import subprocess
    import sys
    from pathlib import Path

    folder = tmp_path_factory.mktemp("migrated-sqlite")
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "PYTEST_XDIST_WORKER"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civitas.settings",
            "CIVITAS_VAR_DIR": str(folder),
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        }
    )
    manage = Path(__file__).resolve().parent / "manage.py"
    subprocess.run(  # noqa: S603 (our interpreter, our manage.py)
        [sys.executable, str(manage), "migrate", "--noinput", "-v0"], env=env, check=True, timeout=600
    )
    return folder


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Commune A", host="commune-a.test")


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Commune B", host="commune-b.test")


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user_a(org_a):
    return UserFactory(organization=org_a, email="alice@example.org", nickname="alice", name="Alice Durand")


@pytest.fixture
def admin_a(org_a):
    return UserFactory(
        organization=org_a, email="maire@example.org", nickname="maire", is_organization_admin=True
    )


@pytest.fixture
def client_a(org_a):
    return Client(HTTP_HOST=org_a.host)


@pytest.fixture
def client_b(org_b):
    return Client(HTTP_HOST=org_b.host)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (queued e-mails…) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("REDIS_URL"):
        skip = pytest.mark.skip(reason="REDIS_URL is not set: the Redis-backed queue is not exercised")
        for item in items:
            if "redis" in item.keywords:
                item.add_marker(skip)
    # Browser tests drive pages whose server side the other tests check on both databases;
    # run twice they were a third of each run's time (800 s of 2,300 on SQLite). They run
    # once, on SQLite, the embedded default a newcomer installs; CIVITAS_BROWSER_ON_POSTGRES=1
    # runs them on PostgreSQL too.
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    if on_postgres and not os.environ.get("CIVITAS_BROWSER_ON_POSTGRES"):
        once = pytest.mark.skip(reason="browser tests run once, on SQLite (CIVITAS_BROWSER_ON_POSTGRES=1)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(once)
    # A transaction open in any database of the PostgreSQL server (another xdist worker's
    # test) keeps VACUUM from dropping dead rows everywhere on it: the tests that check
    # what VACUUM leaves on disk run alone, after the parallel suite (scripts/test.sh).
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        alone = pytest.mark.skip(reason="run alone on the database server, after the parallel suite")
        for item in items:
            if "alone_on_the_database_server" in item.keywords:
                item.add_marker(alone)


# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from civitas.testing.browser import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it with apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
