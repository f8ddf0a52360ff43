"""Back-office pages of the meetings component: meetings, registrations, check-in, reports."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.meetings import services
from civitas.components.meetings.forms import CheckInForm, CloseForm, MeetingForm
from civitas.components.meetings.models import Meeting, Registration
from civitas.components.views import admin_component_view


def _index_url(space, component) -> str:
    return reverse("meetings_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk})


def _get(component, meeting_id) -> Meeting:
    meeting = get_object_or_404(Meeting, component=component, pk=meeting_id)
    meeting.component = component
    return meeting


@admin_component_view("meetings")
def meeting_admin_index(request, space, component):
    meetings = Meeting.objects.filter(component=component).order_by("-start_time", "-pk")
    context = {"space": space, "component": component, "meetings": meetings}
    return render(request, "meetings/admin/index.html", context)


@admin_component_view("meetings")
def meeting_edit(request, space, component, meeting_id=None):
    meeting = _get(component, meeting_id) if meeting_id else Meeting(component=component)
    form = MeetingForm(
        request.POST or None, request.FILES or None, instance=meeting, organization=request.organization
    )
    if request.method == "POST" and form.is_valid():
        services.do_save_meeting(form=form, user=request.user, component=component)
        messages.success(request, _("The meeting is saved."))
        form.announce_location(request)
        return redirect(_index_url(space, component))
    context = {"space": space, "component": component, "meeting": meeting, "form": form}
    return render(request, "meetings/admin/form.html", context)


@require_POST
@admin_component_view("meetings")
def meeting_publish(request, space, component, meeting_id):
    meeting = _get(component, meeting_id)
    published = request.POST.get("published") == "1"
    services.do_set_meeting_published(meeting=meeting, user=request.user, published=published)
    messages.success(
        request, _("The meeting is published.") if published else _("The meeting is unpublished.")
    )
    return redirect(_index_url(space, component))


@admin_component_view("meetings")
def meeting_close(request, space, component, meeting_id):
    meeting = _get(component, meeting_id)
    form = CloseForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        services.do_close_meeting(form=form, user=request.user)
        messages.success(request, _("The closing report is published."))
        return redirect(_index_url(space, component))
    context = {"space": space, "component": component, "meeting": meeting, "form": form}
    return render(request, "meetings/admin/close.html", context)


@admin_component_view("meetings")
def meeting_registrations(request, space, component, meeting_id):
    meeting = _get(component, meeting_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.do_check_in(
                meeting=meeting, code=form.cleaned_data["code"], user=request.user
            )
        except services.MeetingError as error:
            form.add_error("code", str(error))
        else:
            messages.success(
                request, _("Welcome, %(name)s: the code is valid.") % {"name": registration.user.public_name}
            )
            return redirect(request.path)
    registrations = meeting.registrations.exclude(status=Registration.Status.CANCELLED).select_related("user")
    context = {
        "space": space,
        "component": component,
        "meeting": meeting,
        "form": form,
        "confirmed": [r for r in registrations if r.status == Registration.Status.CONFIRMED],
        "waiting": [r for r in registrations if r.status == Registration.Status.WAITING],
    }
    return render(request, "meetings/admin/registrations.html", context)
