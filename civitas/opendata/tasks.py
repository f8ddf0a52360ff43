from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from civitas.opendata import export
from civitas.organizations.models import Organization


@db_task(retries=1, retry_delay=300)
def rebuild_archive(organization_id: int) -> str | None:
    organization = Organization.objects.filter(pk=organization_id).first()
    return export.rebuild(organization) if organization else None


@db_periodic_task(crontab(hour="2", minute="30"))
def rebuild_archives_every_night() -> int:
    count = 0
    for organization in Organization.objects.order_by("pk").iterator():
        export.rebuild(organization)
        count += 1
    return count
