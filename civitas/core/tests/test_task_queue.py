"""E-mails and other side effects leave through huey, after the transaction commits."""

import os

import pytest
from django.core import mail
from django.db import transaction
from huey.contrib.djhuey import HUEY

from civitas.core.mail import send_email_after_commit
from civitas.core.tasks import send_email

pytestmark = pytest.mark.django_db


def _queue_one(org):
    send_email_after_commit(
        to="someone@example.org",
        template="accounts/email/email_changed",
        context={"user": {"name": "Léa", "email": "lea@example.org"}},
        locale="fr",
        organization=org,
    )


def test_email_leaves_only_after_commit(org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue_one(org_a)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].reply_to == ["contact@commune.test"]
    assert "Léa" in mail.outbox[0].body


def test_rolled_back_action_sends_nothing(org_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _queue_one(org_a)
                raise RuntimeError("the action fails")
        except RuntimeError:
            pass
    assert mail.outbox == []


def _through_real_queue():
    """Switch the global huey out of immediate mode: tasks go to its real storage."""
    HUEY.immediate = False
    HUEY.flush()
    try:
        result = send_email(to=["queued@example.org"], subject="Sujet", text_body="Corps")
        assert mail.outbox == []  # only enqueued
        assert HUEY.pending_count() == 1
        task = HUEY.dequeue()
        HUEY.execute(task)
        assert HUEY.pending_count() == 0
        return result
    finally:
        HUEY.flush()
        HUEY.immediate = True


def test_sqlite_queue_round_trip(settings, tmp_path):
    if os.environ.get("REDIS_URL"):
        pytest.skip("this run uses the Redis queue; see test_redis_queue_round_trip")
    assert type(HUEY).__name__ == "SqliteHuey"
    _through_real_queue()
    assert mail.outbox[0].to == ["queued@example.org"]


@pytest.mark.redis
def test_redis_queue_round_trip():
    assert type(HUEY).__name__ == "ReliableRedisHuey"
    _through_real_queue()
    assert mail.outbox[0].to == ["queued@example.org"]
