"""Closing a vote in the task queue, followed from the admin's page.

Opening hundreds of thousands of encrypted ballots takes minutes (bench/national_bulk.py).
Run inside the admin's request, the reverse proxy in front of the web servers (HAProxy,
nginx) gives up on it after a minute or so: the admin gets an error page and cannot tell
whether the vote closed. A vote whose key the platform holds therefore closes in the
queue: the request only asks (:func:`request_closing`), a consumer closes
(:func:`run_closing`), and the admin's page follows the job (:func:`state_of`).

A vote whose key the trustees hold still closes in the admin's request: their private
keys exist only in that request's memory, and the platform never stores one, not even
for the few seconds a queued task waits. A trustee vote too large for a request is closed
on the server with ``manage.py close_vote``.

Whether a started closing still runs: on PostgreSQL the closing holds an advisory lock
for its database session, which ends with its process; on SQLite (one machine by nature)
the process named in ``runner`` is looked up. A closing whose process died was rolled
back whole (it is one transaction), so the page says so and offers to close again.
"""

from __future__ import annotations

import logging
import os
import socket
from contextlib import contextmanager
from enum import StrEnum

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from civitas.ballotbox.closers import closer_for
from civitas.ballotbox.models import ClosingJob, Envelope

logger = logging.getLogger(__name__)

# pg_advisory_lock(key1, key2): key1 names this use ("CVcl"), key2 is the job's id.
LOCK_CLASS = 0x4356636C


class ClosingState(StrEnum):
    QUEUED = "queued"  # waiting for a task consumer
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # refused (the error says why); nothing was closed
    INTERRUPTED = "interrupted"  # its process died mid-way; nothing was closed


IN_PROGRESS = {ClosingState.QUEUED, ClosingState.RUNNING}


# ``runner`` of a closing withdrawn before any consumer took it: neither done nor failed.
WITHDRAWN = "withdrawn"


class ClosingNotStarted(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _label(target) -> str:
    return target._meta.label_lower


def latest_job(target_label: str, target_ids) -> ClosingJob | None:
    """The last closing asked for any of these votes (budgets of a component close together)."""
    return ClosingJob.objects.filter(target_label=target_label, target_id__in=list(target_ids)).first()


def request_closing(targets: list, user) -> ClosingJob:
    """Ask the queue to close ``targets`` (one vote, or a component's budgets, which close
    together; the job names the first); raises ClosingNotStarted."""
    target = targets[0]
    if target.frozen_at is not None:
        raise ClosingNotStarted(_("This vote is already closed."))
    label = _label(target)
    current = latest_job(label, target.closes_with())
    if current is not None and current.finished_at is None:
        if state_of(current) in IN_PROGRESS:
            raise ClosingNotStarted(_("This vote is already being closed."))
        _mark_interrupted(current)
    try:
        with transaction.atomic():
            job = ClosingJob.objects.create(
                organization_id=target.organization_id,
                target_label=label,
                target_id=target.pk,
                requested_by=user,
                ballots=Envelope.objects.filter(target__in=[vote.ballot_ref for vote in targets]).count(),
                language=translation.get_language() or "",
            )
    except IntegrityError:  # another admin asked at the same moment
        raise ClosingNotStarted(_("This vote is already being closed.")) from None
    # Not on commit: the job is committed above (requests are not atomic), and with the
    # queue in immediate mode (tests) the closing runs here, in this transaction.
    from civitas.ballotbox.tasks import close_in_queue

    close_in_queue(job.pk)
    job.refresh_from_db()
    return job


def run_closing(job_id: int) -> None:
    """Close the job's vote (called by the queue); records how it ended on the job."""
    runner = f"{socket.gethostname()}:{os.getpid()}"
    # On SQLite another closing may hold the database: this raises, and the queue tries again.
    claimed = ClosingJob.objects.filter(pk=job_id, started_at__isnull=True, finished_at__isnull=True).update(
        started_at=timezone.now(), runner=runner
    )
    if not claimed:  # delivered twice, cancelled, or already marked interrupted
        return
    job = ClosingJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language or None):
        try:
            close = closer_for(job.target_label)
            target = _model_of(job.target_label).objects.get(pk=job.target_id)
            with _held_while_running(job.pk), transaction.atomic():
                close(target, job.requested_by, None)
                # In the closing's transaction: the job is done exactly when the vote is closed.
                ClosingJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), error="")
        except Exception as error:  # noqa: BLE001 - any failure is told on the admin's page
            message = getattr(error, "message", None)
            if message is None:
                logger.exception("closing %s %s failed", job.target_label, job.target_id)
                message = _(
                    "Closing failed unexpectedly; nothing was closed. The server's log has the details."
                )
            ClosingJob.objects.filter(pk=job.pk).update(finished_at=timezone.now(), error=str(message))


def cancel_queued(target_label: str, target_ids) -> bool:
    """Withdraw a closing no consumer has taken yet (none runs, or its task was lost)."""
    job = latest_job(target_label, target_ids)
    if job is None or job.started_at is not None or job.finished_at is not None:
        return False  # read first: on SQLite a running closing holds the database for writes
    return bool(
        ClosingJob.objects.filter(pk=job.pk, started_at__isnull=True, finished_at__isnull=True).update(
            finished_at=timezone.now(), runner=WITHDRAWN
        )
    )


def closing_under_way(target) -> bool:
    """Whether a closing of ``target`` was asked and has not ended (the key's holder is then fixed)."""
    return ClosingJob.objects.filter(
        target_label=_label(target), target_id__in=target.closes_with(), finished_at__isnull=True
    ).exists()


def _model_of(label: str):
    from django.apps import apps

    return apps.get_model(label)


@contextmanager
def _held_while_running(job_id: int):
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_CLASS, job_id])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job_id])


def state_of(job: ClosingJob) -> ClosingState:
    if job.finished_at is not None:
        return ClosingState.FAILED if job.error else ClosingState.DONE
    if job.started_at is None:
        return ClosingState.QUEUED
    return ClosingState.RUNNING if _still_running(job) else ClosingState.INTERRUPTED


def _still_running(job: ClosingJob) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, job.pk])
            (free,) = cursor.fetchone()
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, job.pk])
        return not free
    host, _sep, pid = job.runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # not ours to look up: believe it runs
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _mark_interrupted(job: ClosingJob) -> None:
    ClosingJob.objects.filter(pk=job.pk, finished_at__isnull=True).update(
        finished_at=timezone.now(),
        error=_("Its server stopped during the closing; nothing was closed."),
    )


def progress_of(target_label: str, target_ids, *, ended_well_too: bool = False) -> dict | None:
    """What the admin's page says of the last closing of these votes, or None.

    A closing that ended well says nothing on the page (the vote shows as closed) unless
    ``ended_well_too`` (the page's poll announces it); one that failed or was interrupted
    says why, until the vote is closed.
    """
    job = latest_job(target_label, target_ids)
    if job is None or job.runner == WITHDRAWN:
        return None
    state = state_of(job)
    if state == ClosingState.DONE and not ended_well_too:
        return None
    if state == ClosingState.INTERRUPTED:
        _mark_interrupted(job)
        job.refresh_from_db()
        state = ClosingState.FAILED
    return {
        "job": job,
        "state": str(state),
        "in_progress": state in IN_PROGRESS,
        "fingerprint": _fingerprint(job, state),
        "minutes": _minutes_running(job) if state == ClosingState.RUNNING else 0,
    }


def _minutes_running(job: ClosingJob) -> int:
    return int((timezone.now() - job.started_at).total_seconds() // 60)


def _fingerprint(job: ClosingJob, state: ClosingState) -> str:
    """What the admin's page shows of the closing, in a word: its poll swaps only when it changes."""
    if state == ClosingState.RUNNING:
        return f"running-{_minutes_running(job)}"
    return f"{state}-{job.pk}"
