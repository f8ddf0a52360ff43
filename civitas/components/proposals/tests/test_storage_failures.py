"""A database that refuses writes gives a clear 503 page and loses nothing already saved.

The read-only and full-disk states are produced for real on every new connection:
PostgreSQL's default_transaction_read_only, SQLite's query_only and max_page_count.
"""

import contextlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection
from django.db.backends.signals import connection_created
from django.test import Client

from civitas.comments.models import Comment
from civitas.components.proposals import services
from civitas.core.errors import storage_unavailable

pytestmark = pytest.mark.django_db(transaction=True)


def _apply(state, db_connection):
    with db_connection.cursor() as cursor:
        if db_connection.vendor == "postgresql":
            cursor.execute(f"SET default_transaction_read_only = {'on' if state == 'read-only' else 'off'}")
        elif state == "read-only":
            cursor.execute("PRAGMA query_only = ON")
        elif state == "full":
            # The database may not grow by a single page, as on a disk with no space left:
            # VACUUM first empties the free list a new row could otherwise reuse.
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA page_count")
            cursor.execute(f"PRAGMA max_page_count = {cursor.fetchone()[0]}")
        else:
            cursor.execute("PRAGMA query_only = OFF")
            cursor.execute("PRAGMA max_page_count = 1073741823")


@contextlib.contextmanager
def storage(state):
    """Every connection, current and new, is in ``state`` until the block ends."""

    def on_new_connection(sender, connection, **kwargs):
        _apply(state, connection)

    connection_created.connect(on_new_connection)
    _apply(state, connection)
    try:
        yield
    finally:
        connection_created.disconnect(on_new_connection)
        _apply("normal", connection)


@pytest.fixture
def proposal(proposals_component, admin_a):
    draft = services.do_create_draft(
        user=admin_a, component=proposals_component, title="Des bancs place du marché", body="Texte."
    )
    services.do_publish(proposal=draft, user=admin_a)
    return draft


@pytest.mark.parametrize("state", ["read-only", "full"])
def test_a_comment_sent_while_storage_fails_gets_a_clear_page_and_nothing_is_lost(
    state, org_a, user_a, proposal
):
    if state == "full" and connection.vendor != "sqlite":
        pytest.skip("A full disk is simulated with SQLite's max_page_count; PostgreSQL is tested read-only.")
    client = Client(HTTP_HOST=org_a.host, raise_request_exception=False)
    client.force_login(user_a)
    url = f"/comments/{ContentType.objects.get_for_model(proposal).pk}/{proposal.pk}/add/"
    saved = client.post(url, {"body": "Oui, et à l'ombre des platanes", "alignment": "for"})
    assert saved.status_code == 302

    with storage(state):
        # Longer than a 4 KiB page, so the row needs a new page whatever room is left.
        long_body = "Un second avis, détaillé, qui ne passera pas. " * 100
        refused = client.post(url, {"body": long_body[:4900], "alignment": "neutral"})
        assert refused.status_code == 503
        assert int(refused["Retry-After"]) > 0
        page = refused.content.decode()
        assert "n'a pas été enregistré" in page and "was not saved" in page
        # Reading still works while writing does not.
        assert client.get(proposal.get_absolute_url()).status_code == 200

    bodies = list(Comment.objects.filter(author=user_a).values_list("body", flat=True))
    assert len(bodies) == 1 and "platanes" in bodies[0]
    # Once storage is back, the same request goes through.
    again = client.post(url, {"body": "Un second avis qui passe enfin", "alignment": "neutral"})
    assert again.status_code == 302
    assert Comment.objects.filter(author=user_a).count() == 2


def test_a_bug_is_not_mistaken_for_a_storage_failure():
    from django.db import IntegrityError, OperationalError

    assert storage_unavailable(OperationalError("attempt to write a readonly database"))
    assert storage_unavailable(OSError(28, "No space left on device"))
    assert not storage_unavailable(IntegrityError("UNIQUE constraint failed: comments_comment.id"))
    assert not storage_unavailable(ValueError("database or disk is full"))


def test_a_connection_that_dies_while_the_session_loads_gets_the_503_page(org_a, user_a, monkeypatch):
    from importlib import import_module

    from django.conf import settings
    from django.db import InterfaceError

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806 - a class

    client = Client(HTTP_HOST=org_a.host, raise_request_exception=False)
    client.force_login(user_a)

    def dropped(self):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(SessionStore, "load", dropped)
    response = client.get("/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_the_next_request_reconnects_after_the_database_dropped_the_connection(org_a, user_a):
    if connection.vendor != "postgresql":
        pytest.skip("Only a server can drop a connection; SQLite has none.")
    client = Client(HTTP_HOST=org_a.host, raise_request_exception=False)
    client.force_login(user_a)
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        dropped_pid = cursor.fetchone()[0]
    # As an administrator or a failover would, from outside: the server ends this connection.
    import psycopg

    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [dropped_pid])
    # A request caught on the dead connection gets the 503 page, not a 500.
    assert client.get("/").status_code == 503
    # Every request served by the WSGI handler starts with close_old_connections (the
    # test client skips it): the dead connection is dropped and the next one is new.
    close_old_connections()
    assert client.get("/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != dropped_pid
