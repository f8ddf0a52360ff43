from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, task


@task(retries=3, retry_delay=60)
def send_email(
    to: list[str], subject: str, text_body: str, html_body: str | None = None, reply_to=None
) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text_body, to=to, reply_to=reply_to or None)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()


@db_periodic_task(crontab(minute="7"))
def delete_expired_counters() -> int:
    """Rate-limit counters and used CAPTCHA nonces kept in the database, once expired.

    Only without Redis: Redis expires its keys by itself.
    """
    config = settings.CACHES["shared"]
    if not config["BACKEND"].endswith("DatabaseCache"):
        return 0
    table = connection.ops.quote_name(config["LOCATION"])
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        cursor.execute(f"DELETE FROM {table} WHERE expires < %s", [now])  # noqa: S608
        return cursor.rowcount
