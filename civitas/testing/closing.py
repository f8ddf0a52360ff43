"""A closing that looks, to the admin's page, like one another live process is running."""

import contextlib
import os
import socket

import psycopg
from django.db import connection
from django.utils import timezone

from civitas.ballotbox import background


@contextlib.contextmanager
def closing_running_elsewhere(job):
    """On PostgreSQL another session holds the closing's advisory lock; on SQLite (one
    machine) the job names this very process, which is alive."""
    job.started_at = timezone.now()
    if connection.vendor != "postgresql":
        job.runner = f"{socket.gethostname()}:{os.getpid()}"
        job.save()
        yield
        return
    job.runner = "web-2:4242"
    job.save()
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], host=settings["HOST"], port=settings["PORT"], user=settings["USER"]
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [background.LOCK_CLASS, job.pk])
        yield
