from civitas.api import representations
from civitas.api.endpoint import api_endpoint
from civitas.api.pagination import paginate
from civitas.api.views.common import filter_by_place, filter_updated_since, one_or_404
from civitas.api.visibility import visible_meetings


def _meetings(request):
    return visible_meetings(request).select_related("component__space").prefetch_related("proposals")


def _confirmed_meeting_ids(user, meetings) -> set[int]:
    """Meetings among these where the reader holds a confirmed place (one query)."""
    from civitas.components.meetings.models import Registration

    if not user.is_authenticated:
        return set()
    return set(
        Registration.objects.filter(
            user=user, status=Registration.Status.CONFIRMED, meeting__in=[meeting.pk for meeting in meetings]
        ).values_list("meeting_id", flat=True)
    )


def _represent_for(request):
    def represent(meetings):
        confirmed = _confirmed_meeting_ids(request.user, meetings)
        return [
            representations.meeting(
                meeting,
                request.organization,
                sees_online_link=not meeting.registrations_enabled or meeting.pk in confirmed,
            )
            for meeting in meetings
        ]

    return represent


@api_endpoint
def meeting_list(request):
    meetings = filter_updated_since(request, filter_by_place(request, _meetings(request)))
    return paginate(request, meetings, _represent_for(request), ordering=("start_time", "pk"))


@api_endpoint
def meeting_detail(request, meeting_id):
    return _represent_for(request)([one_or_404(_meetings(request), meeting_id)])[0]
