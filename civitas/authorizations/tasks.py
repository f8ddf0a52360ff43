from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civitas.authorizations.handlers import blur_used_entries


@db_periodic_task(crontab(hour="3", minute="40"))
def blur_used_census_entries() -> int:
    return blur_used_entries()
