"""Back-office pages for paper ballots: print runs, ballot boxes, keying, differences, counting.

Space admins only (``admin_component_view``): keying a ballot is counting a vote.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.components.majority_judgment import paper, services
from civitas.components.majority_judgment.admin_forms import (
    ExpectedCountForm,
    PaperBatchForm,
    PrintBallotsForm,
)
from civitas.components.majority_judgment.models import PaperBatch, PaperKeying, PaperPrintRun
from civitas.components.views import admin_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _url(name: str, component, **kwargs) -> str:
    return reverse(
        f"majority_judgment_admin:{name}",
        kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs},
    )


def _render_paper(request, space, component, election, batch_form=None, print_form=None, status=200):
    context = {
        "space": space,
        "component": component,
        "election": election,
        "batches": election.paper_batches.all(),
        "print_runs": election.print_runs.all(),
        "serials_issued": paper.serials_issued(election),
        "batch_form": batch_form or PaperBatchForm(),
        "print_form": print_form or PrintBallotsForm(),
    }
    return render(request, "majority_judgment/admin/paper.html", context, status=status)


@admin_component_view("majority_judgment")
def paper_index(request, space, component):
    election = services.election_of(component)
    if request.method != "POST":
        return _render_paper(request, space, component, election)
    form = PaperBatchForm(request.POST)
    if not form.is_valid():
        return _render_paper(request, space, component, election, batch_form=form, status=400)
    try:
        batch = paper.do_create_batch(election=election, user=request.user, **form.cleaned_data)
    except services.VoteError as error:
        messages.error(request, error.message)
        return redirect(_url("paper", component))
    return redirect(_url("paper_batch", component, batch_id=batch.pk))


@require_POST
@admin_component_view("majority_judgment")
def print_ballots(request, space, component):
    election = services.election_of(component)
    form = PrintBallotsForm(request.POST)
    if not form.is_valid():
        return _render_paper(request, space, component, election, print_form=form, status=400)
    try:
        run = paper.do_print_run(election=election, user=request.user, copies=form.cleaned_data["copies"])
    except services.VoteError as error:
        messages.error(request, error.message)
        return redirect(_url("paper", component))
    return redirect(_url("paper_print", component, run_id=run.pk))


@admin_component_view("majority_judgment")
def print_run(request, space, component, run_id):
    election = services.election_of(component)
    run = get_object_or_404(PaperPrintRun, election=election, pk=run_id)
    context = {
        "space": space,
        "component": component,
        "election": election,
        "serials": paper.serials_of(run),
        "candidates": election.candidates.all(),
        "grade_choices": election.grade_choices(),
        "lowest_grade": election.grades[-1],
    }
    return render(request, "majority_judgment/admin/paper_print.html", context)


def _batch_action(request, batch, action: str) -> str:
    """Run one POSTed action on a batch; returns the success message."""
    if action == "key":
        keying = paper.do_key_ballot(
            batch=batch,
            user=request.user,
            serial=request.POST.get("serial", ""),
            data=request.POST,
            replace=bool(request.POST.get("replace")),
        )
        return _("Ballot %(serial)s keyed.") % {"serial": keying.serial}
    if action == "resolve":
        keeping = get_object_or_404(PaperKeying, batch=batch, pk=request.POST.get("keep"))
        paper.do_resolve(batch=batch, user=request.user, keeping=keeping)
        return _("Difference resolved for ballot %(serial)s.") % {"serial": keeping.serial}
    if action == "delete":
        keying = get_object_or_404(PaperKeying, batch=batch, pk=request.POST.get("keying"))
        paper.do_delete_keying(keying=keying, user=request.user)
        return _("Keying deleted.")
    if action == "expected":
        form = ExpectedCountForm(request.POST)
        if not form.is_valid():
            raise paper.PaperError(_("Give the number of ballots in the box (at least 1)."), "expected_count")
        paper.do_set_expected_count(
            batch=batch, user=request.user, expected_count=form.cleaned_data["expected_count"]
        )
        return _("Number of ballots in the box corrected.")
    if action == "count":
        count = paper.do_count_batch(batch=batch, user=request.user)
        return ngettext(
            "Batch counted: %(count)s paper ballot added.",
            "Batch counted: %(count)s paper ballots added.",
            count,
        ) % {"count": count}
    raise paper.PaperError(_("Unknown action."))


@admin_component_view("majority_judgment")
def batch_detail(request, space, component, batch_id):
    election = services.election_of(component)
    batch = get_object_or_404(PaperBatch, election=election, pk=batch_id)
    batch.election = election
    serial, grades, editing = "", {}, None
    error_message, error_field = "", ""
    if request.GET.get("edit"):
        editing = get_object_or_404(PaperKeying, batch=batch, pk=request.GET["edit"], keyed_by=request.user)
        serial, grades = editing.serial, editing.payload.get("grades", {})
    if request.method == "POST":
        action = request.POST.get("action", "key")
        if action == "delete" and not deletion_confirmed(request):
            keying = get_object_or_404(PaperKeying, batch=batch, pk=request.POST.get("keying"))
            return confirm_deletion(
                request,
                name=_("Keying of ballot %(serial)s") % {"serial": keying.serial},
                consequence=_(
                    "This keying of the paper ballot is deleted for good: the ballot must be keyed again."
                ),
                back_url=request.path,
                context={"space": space},
            )
        try:
            messages.success(request, _batch_action(request, batch, action))
            return redirect(request.path)
        except services.VoteError as error:
            # Shown in the page's error summary, linked to the field at fault; nothing changed.
            error_message, error_field = error.message, getattr(error, "field", "")
            if action == "key":
                error_field = error_field or "grades"
                serial = request.POST.get("serial", "")
                grades = {key.removeprefix("candidate-"): value for key, value in request.POST.items()}
                if request.POST.get("replace"):
                    editing = PaperKeying(serial=serial)
    status = paper.batch_status(batch)
    context = {
        "space": space,
        "component": component,
        "election": election,
        "batch": batch,
        "status": status,
        "serial": serial,
        "error_message": error_message,
        "error_field": error_field,
        "editing": editing,
        "candidates": [
            {"candidate": candidate, "grade": str(grades.get(str(candidate.pk), ""))}
            for candidate in election.candidates.all()
        ],
        "grade_choices": [(str(grade), name) for grade, name in election.grade_choices()],
        "lowest_grade": election.grades[-1],
        "differences": [
            (item, [(keying, _grades_text(election, keying.payload)) for keying in item.keyings])
            for item in status.discrepancies
        ],
        "mine": [keying for keying in status.keyings if keying.keyed_by_id == request.user.pk],
        "count_blocker": paper.check_can_count(batch, status),
        "expected_form": ExpectedCountForm(initial={"expected_count": batch.expected_count}),
    }
    return render(
        request, "majority_judgment/admin/paper_batch.html", context, status=400 if error_message else 200
    )


def _grades_text(election, payload: dict) -> str:
    """``Piste cyclable: Bien; Bancs: Passable``, to compare two keyings at a glance."""
    given = payload.get("grades", {})
    return "; ".join(
        f"{candidate.title}: {election.grade_name(given.get(str(candidate.pk), 0))}"
        for candidate in election.candidates.all()
    )
