from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.meetings import services
from civitas.components.meetings.calendar import ical_response
from civitas.components.meetings.models import Meeting, Registration
from civitas.components.models import Component
from civitas.components.views import public_component_view
from civitas.maps.markers import map_context, markers_from_objects


def _visible_meetings(component):
    return Meeting.objects.visible().filter(component=component)


@public_component_view("meetings")
def meeting_index(request, space, component):
    now = timezone.now()
    period = request.GET.get("period", "upcoming")
    period = period if period in ("upcoming", "past") else "upcoming"
    meetings = _visible_meetings(component)
    if period == "upcoming":
        meetings = meetings.filter(end_time__gte=now).order_by("start_time", "pk")
    else:
        meetings = meetings.filter(end_time__lt=now).order_by("-start_time", "-pk")
    meetings = list(meetings[:200])
    for meeting in meetings:
        meeting.component = component  # for its address, without a query per meeting
    located = [meeting for meeting in meetings if meeting.is_in_person]
    context = {
        "space": space,
        "component": component,
        "meetings": meetings,
        "period": period,
        "map": map_context(
            request.organization,
            markers_from_objects(located),
            label=_("Map of the meetings"),
            list_id="meeting-list",
        ),
    }
    return render(request, "meetings/index.html", context)


def _get_meeting(request, component, meeting_id) -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.prefetch_related("proposals"), component=component, pk=meeting_id
    )
    meeting.component = component
    unpublished = meeting.published_at is None or meeting.hidden_at is not None
    if unpublished and not request.user.has_perm("spaces.admin_space", component.space):
        raise Http404
    return meeting


@public_component_view("meetings")
def meeting_detail(request, space, component, meeting_id):
    meeting = _get_meeting(request, component, meeting_id)
    registration = services.live_registration(meeting, request.user)
    try:
        services.check_can_register(request.user, meeting)
        cannot_register = None
    except services.MeetingError as error:
        cannot_register = str(error)
    context = {
        "space": space,
        "component": component,
        "meeting": meeting,
        "registration": registration,
        "cannot_register": cannot_register,
        "confirmed": services.confirmed_count(meeting) if meeting.registrations_enabled else None,
        "places_left": services.places_left(meeting) if meeting.registrations_enabled else None,
        "waiting_position": (
            meeting.registrations.filter(
                status=Registration.Status.WAITING, created_at__lte=registration.created_at
            )
            .exclude(created_at=registration.created_at, pk__gt=registration.pk)
            .count()
            if registration and registration.status == Registration.Status.WAITING
            else None
        ),
        "settings": component.current_settings(),
        "linked_proposals": [proposal for proposal in meeting.proposals.all() if proposal.hidden_at is None],
    }
    return render(request, "meetings/detail.html", context)


@require_POST
@public_component_view("meetings")
def register(request, space, component, meeting_id):
    meeting = _get_meeting(request, component, meeting_id)
    if not request.user.is_authenticated:
        return redirect_to_login(meeting.get_absolute_url())
    try:
        registration = services.do_register(user=request.user, meeting=meeting)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("You are registered. Your code: %(code)s") % {"code": registration.code}
            )
        else:
            messages.success(request, _("The meeting is full: you are on the waiting list."))
    return redirect(meeting.get_absolute_url())


@require_POST
@public_component_view("meetings")
def cancel(request, space, component, meeting_id):
    meeting = _get_meeting(request, component, meeting_id)
    registration = services.live_registration(meeting, request.user)
    if registration is None:
        messages.error(request, _("You are not registered."))
        return redirect(meeting.get_absolute_url())
    try:
        services.do_cancel_registration(registration=registration, user=request.user)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    return redirect(meeting.get_absolute_url())


@public_component_view("meetings")
def meeting_calendar(request, space, component, meeting_id):
    meeting = _get_meeting(request, component, meeting_id)
    return ical_response(request, [meeting], name=meeting.title, filename=f"meeting-{meeting.pk}.ics")


@public_component_view("meetings")
def space_calendar(request, space, component):
    """Every published meeting of the space, across its meetings components."""
    components = [
        other
        for other in Component.objects.published().filter(space=space, manifest_name="meetings")
        if request.user.has_perm("components.view_component", other)
    ]
    meetings = (
        Meeting.objects.visible()
        .filter(component__in=components)
        .select_related("component__space")
        .order_by("start_time", "pk")
    )
    return ical_response(request, meetings, name=space.title, filename=f"{space.slug}.ics")
