"""Seal the signature lists every night: a snapshot of each petition being signed, and
the final list of each petition whose signing ended (once, the day after its last day)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from civitas.components.petitions.models import Petition, Status, today
from civitas.components.petitions.signature_list import do_seal_list


def petitions_to_seal(day):
    published = Petition.objects.filter(status=Status.PUBLISHED, deadline__isnull=False)
    being_signed = published.filter(deadline__gte=day)
    ended_without_final = published.filter(deadline__lt=day).exclude(sealed_lists__final=True)
    return (being_signed | ended_without_final).distinct()


@db_periodic_task(crontab(hour="2", minute="10"))
def seal_signature_lists() -> int:
    sealed = 0
    for petition in petitions_to_seal(today()).select_related("component__space__organization"):
        do_seal_list(petition)
        sealed += 1
    return sealed
