from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civitas.authorizations.handlers import blur_used_entries
from civitas.authorizations.letters import blur_used_codes


@db_periodic_task(crontab(hour="3", minute="40"))
def blur_used_census_entries() -> int:
    # Letter codes are used the same way as census entries, and blurred with them.
    return blur_used_entries() + blur_used_codes()
