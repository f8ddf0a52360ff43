"""Back-office pages of the synthesis step: merge, split, import (space admins only).

Each act is written on a form that also carries the confirmation box; a POST without the
box ticked gets the confirmation page (core.confirmation) and changes nothing.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civitas.components.models import Component
from civitas.components.proposals import synthesis
from civitas.components.proposals.models import Proposal
from civitas.components.proposals.synthesis_forms import (
    ComponentImportForm,
    MeetingChoiceForm,
    parse_ids,
    part_count,
    part_forms,
)
from civitas.core.confirmation import act_confirmed, confirm_act
from civitas.spaces.models import Space


def synthesis_view(view):
    """Admins of the component's space; 404 outside the organization, 403 for anyone else."""

    @wraps(view)
    def wrapper(request, space_id, component_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        space = get_object_or_404(Space, organization=request.organization, pk=space_id)
        component = get_object_or_404(Component, space=space, pk=component_id, manifest_name="proposals")
        component.space = space
        if not request.user.has_perm("proposals.synthesize", component):
            raise PermissionDenied
        return view(request, space, component, *args, **kwargs)

    return wrapper


def _index_url(component) -> str:
    return reverse(
        "proposals_admin:index", kwargs={"space_id": component.space_id, "component_id": component.pk}
    )


def _ask_first(request, component, *, title, consequence, button):
    return confirm_act(
        request,
        title=title,
        consequence=consequence,
        button=button,
        back_url=_index_url(component),
        context={"space": component.space, "component": component},
    )


def _all_valid(forms) -> bool:
    valid = True
    for form in forms:  # every form is checked, so that each shows its own errors
        valid = form.is_valid() and valid
    return valid


def _merge_prefill(originals) -> dict:
    title = " / ".join(original.title for original in originals)
    limit = synthesis.TITLE_LENGTH
    body = "".join(f"<h3>{escape(original.title)}</h3>{original.body}" for original in originals)
    return {"title": title if len(title) <= limit else title[: limit - 1] + "…", "body": body}


@synthesis_view
def merge(request, space, component):
    source = request.POST if request.method == "POST" else request.GET
    ids = parse_ids(source.get("originals", "")) or sorted(
        {int(value) for value in source.getlist("proposals") if value.isdigit() and len(value) <= 12}
    )
    originals = list(
        Proposal.objects.published()
        .filter(component=component, pk__in=ids)
        .select_related("author")
        .order_by("published_at", "pk")
    )
    if len(originals) < 2 or len(originals) != len(set(ids)):
        messages.error(request, _("Choose at least two proposals of this component to merge."))
        return redirect(_index_url(component))
    (form,) = part_forms(request.POST if request.method == "POST" else None, 1, [_merge_prefill(originals)])
    if request.method == "POST" and form.is_valid():
        if not act_confirmed(request):
            return _ask_first(
                request,
                component,
                title=_("Merge these proposals?"),
                consequence=_(
                    "The originals are closed as merged and can no longer be supported; their "
                    "supporters support the new proposal once each, and their authors are told."
                ),
                button=_("Merge the proposals"),
            )
        try:
            result = synthesis.do_merge(
                component=component, user=request.user, proposal_ids=ids, part=form.part()
            )
        except synthesis.SynthesisError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("The proposals are merged into “%(title)s”.") % {"title": result.title}
            )
            return redirect(result.get_absolute_url())
    context = {
        "space": space,
        "component": component,
        "originals": originals,
        "form": form,
        "original_ids": ",".join(str(pk) for pk in sorted(ids)),
    }
    return render(request, "proposals/admin/merge.html", context)


@synthesis_view
def split(request, space, component, proposal_id):
    original = get_object_or_404(
        Proposal.objects.published().select_related("author"), component=component, pk=proposal_id
    )
    original.component = component
    data = request.POST if request.method == "POST" else None
    count = part_count((data or request.GET).get("parts", ""), default=2, minimum=2)
    initial = [{"title": original.title, "body": original.body}] * count
    forms = part_forms(data, count, initial)
    if data is not None and _all_valid(forms):
        if not act_confirmed(request):
            return _ask_first(
                request,
                component,
                title=_("Split this proposal?"),
                consequence=_(
                    "The original is closed as split and can no longer be supported; the new "
                    "proposals start without supports, and its author is told."
                ),
                button=_("Split the proposal"),
            )
        try:
            pieces = synthesis.do_split(
                component=component,
                user=request.user,
                proposal_id=original.pk,
                parts=[form.part() for form in forms],
            )
        except synthesis.SynthesisError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The proposal is split into %(count)s proposal.",
                    "The proposal is split into %(count)s proposals.",
                    len(pieces),
                )
                % {"count": len(pieces)},
            )
            return redirect(original.get_absolute_url())
    context = {
        "space": space,
        "component": component,
        "original": original,
        "forms": forms,
        "count": count,
        "more": count + 1 if count < 8 else None,
    }
    return render(request, "proposals/admin/split.html", context)


@synthesis_view
def import_proposals(request, space, component):
    sources = synthesis.importable_components(request.user, component)
    data = request.POST if request.method == "POST" else None
    form = ComponentImportForm(data, sources=sources, prefix="import")
    if data is not None and form.is_valid():
        if not act_confirmed(request):
            return _ask_first(
                request,
                component,
                title=_("Import these proposals?"),
                consequence=_(
                    "Copies of the chosen proposals are published here at once, linked to their "
                    "originals; their authors are told. Proposals imported before are not copied again."
                ),
                button=_("Import the proposals"),
            )
        try:
            copies = synthesis.do_import_from_component(
                component=component,
                user=request.user,
                source=form.cleaned_data["source"],
                states=form.cleaned_data["states"],
                keep_authors=form.cleaned_data["keep_authors"],
            )
        except synthesis.SynthesisError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext("%(count)s proposal is imported.", "%(count)s proposals are imported.", len(copies))
                % {"count": len(copies)},
            )
            return redirect(_index_url(component))
    context = {
        "space": space,
        "component": component,
        "form": form,
        "meeting_form": MeetingChoiceForm(
            meetings=synthesis.closed_meetings(request.user, component), prefix="choose"
        ),
    }
    return render(request, "proposals/admin/import.html", context)


@synthesis_view
def import_meeting(request, space, component):
    meetings = synthesis.closed_meetings(request.user, component)
    data = request.POST if request.method == "POST" else None
    chooser = MeetingChoiceForm(data or request.GET, meetings=meetings, prefix="choose")
    if not chooser.is_valid():
        messages.error(request, _("Choose a closed meeting of a space you administer."))
        return redirect(
            reverse(
                "proposals_admin:publish_imports", kwargs={"space_id": space.pk, "component_id": component.pk}
            )
        )
    meeting = chooser.cleaned_data["meeting"]
    count = part_count((data or request.GET).get("parts", ""), default=1, minimum=1)
    forms = part_forms(data, count, [{"title": meeting.title, "body": meeting.minutes}] * count)
    if data is not None and _all_valid(forms):
        if not act_confirmed(request):
            return _ask_first(
                request,
                component,
                title=_("Publish these proposals from the meeting?"),
                consequence=_("The proposals are published here at once and listed on the meeting's report."),
                button=_("Publish the proposals"),
            )
        try:
            created = synthesis.do_import_from_meeting(
                component=component, user=request.user, meeting=meeting, parts=[form.part() for form in forms]
            )
        except synthesis.SynthesisError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s proposal is published from the meeting.",
                    "%(count)s proposals are published from the meeting.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect(_index_url(component))
    context = {
        "space": space,
        "component": component,
        "meeting": meeting,
        "forms": forms,
        "count": count,
        "more": count + 1 if count < 8 else None,
    }
    return render(request, "proposals/admin/import_meeting.html", context)
