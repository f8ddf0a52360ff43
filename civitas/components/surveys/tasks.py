"""Periodic reshuffle of open surveys, so that row order never follows arrival for long."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="17"))
def reshuffle_open_surveys() -> int:
    from civitas.ballotbox.services import reshuffle
    from civitas.components.surveys.models import Answer, Survey

    count = 0
    for survey in Survey.objects.filter(frozen_at__isnull=True, answers__isnull=False).distinct().iterator():
        reshuffle(Answer, survey)
        count += 1
    return count
