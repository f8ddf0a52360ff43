"""The ballot box's share of a person's GDPR export: the closings they asked for."""

from civitas.ballotbox.models import ClosingJob
from civitas.core.gdpr import iso, register_export


@register_export("vote_closings_requested", covers=[(ClosingJob, "requested_by")])
def export_closings_requested(user) -> list[dict]:
    return [
        {
            "vote": f"{job.target_label} {job.target_id}",
            "requested_at": iso(job.requested_at),
            "finished_at": iso(job.finished_at),
            "outcome": _outcome(job),
        }
        for job in ClosingJob.objects.filter(requested_by=user)
    ]


def _outcome(job: ClosingJob) -> str:
    from civitas.ballotbox.background import WITHDRAWN

    if job.runner == WITHDRAWN:
        return "withdrawn"
    return job.error or ("closed" if job.finished_at else "not finished")
