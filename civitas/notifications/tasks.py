from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civitas.notifications import delivery
from civitas.notifications.models import EmailFrequency


@db_task(retries=3, retry_delay=30)
def deliver_notifications(**event) -> int:
    return delivery.deliver(**event)


@db_periodic_task(crontab(hour="7", minute="0"))
def send_daily_digests() -> int:
    return delivery.send_digests(EmailFrequency.DAILY)


@db_periodic_task(crontab(day_of_week="1", hour="7", minute="15"))
def send_weekly_digests() -> int:
    return delivery.send_digests(EmailFrequency.WEEKLY)
