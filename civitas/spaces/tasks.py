from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civitas.spaces.services import switch_phases_by_date


@db_periodic_task(crontab(minute="5"))
def switch_phases_every_hour() -> int:
    return switch_phases_by_date()
