import logging

from django.apps import apps
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civitas.spam import services

logger = logging.getLogger(__name__)


def score_contribution(label: str, pk: int) -> None:
    model = apps.get_model(label)
    obj = model.objects.filter(pk=pk).first()
    if obj is not None:
        services.score_contribution(obj)


@db_task(retries=2, retry_delay=60)
def score_contribution_task(label: str, pk: int) -> None:
    """When scoring at posting failed (``signals.score_now``): again, later."""
    score_contribution(label, pk)


@db_periodic_task(crontab(hour="3", minute="30"))
def daily_spam_scan() -> None:
    summary = services.daily_run()
    logger.info("spam scan: %s", summary)
