from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.ballotbox.admin import (
    close_from_admin,
    closing_poll,
    closing_progress,
    key_panel,
    keys_view,
    supplied_trustee_keys,
)
from civitas.components.majority_judgment import services
from civitas.components.majority_judgment.admin_forms import CandidateForm, ElectionForm, ImportProposalsForm
from civitas.components.majority_judgment.models import Candidate
from civitas.components.views import admin_component_view
from civitas.core.confirmation import confirm_deletion, deletion_confirmed


def _index_url(space, component) -> str:
    return reverse(
        "majority_judgment_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk}
    )


def _render_index(request, space, component, election, form=None, candidate_form=None, status=200):
    locked_reason = services.rules_lock_reason(election)
    context = {
        "space": space,
        "component": component,
        "election": election,
        "locked_reason": locked_reason,
        "form": form or ElectionForm(instance=election, locked_reason=locked_reason),
        "candidate_form": candidate_form or CandidateForm(),
        "import_form": ImportProposalsForm(),
        "candidates": election.candidates.select_related("proposal"),
        "ballots": election.ballot_count(),
        **key_panel(election),
        "keys_url": reverse(
            "majority_judgment_admin:keys", kwargs={"space_id": space.pk, "component_id": component.pk}
        ),
        "target": election,
        **closing_progress([election], _index_url(space, component)),
    }
    return render(request, "majority_judgment/admin/index.html", context, status=status)


@admin_component_view("majority_judgment")
def election_edit(request, space, component):
    election = services.election_of(component)
    if request.method != "POST":
        return closing_poll(request, [election]) or _render_index(request, space, component, election)
    form = ElectionForm(request.POST, instance=election, locked_reason=services.rules_lock_reason(election))
    if form.is_valid():
        try:
            services.do_save_election(form=form, user=request.user)
        except services.VoteError as error:
            messages.error(request, error.message)
            election.refresh_from_db()
            return _render_index(request, space, component, election, form=form, status=400)
        messages.success(request, _("The vote is saved."))
        return redirect(_index_url(space, component))
    return _render_index(request, space, component, election, form=form)


@require_POST
@admin_component_view("majority_judgment")
def candidate_add(request, space, component):
    election = services.election_of(component)
    form = CandidateForm(request.POST)
    if not form.is_valid():
        return _render_index(request, space, component, election, candidate_form=form)
    try:
        services.do_add_candidate(election=election, user=request.user, title=form.cleaned_data["title"])
    except services.VoteError as error:
        messages.error(request, error.message)
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("majority_judgment")
def import_proposals(request, space, component):
    election = services.election_of(component)
    form = ImportProposalsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a state of proposals to import."))
        return redirect(_index_url(space, component))
    proposals = list(services.importable_proposals(election, form.cleaned_data["state"]))
    try:
        created = services.do_import_proposals(election=election, user=request.user, proposals=proposals)
    except services.VoteError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext("%(count)s candidate imported.", "%(count)s candidates imported.", len(created))
            % {"count": len(created)},
        )
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("majority_judgment")
def candidate_delete(request, space, component, candidate_id):
    election = services.election_of(component)
    candidate = get_object_or_404(Candidate, election=election, pk=candidate_id)
    candidate.election = election
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=candidate.title,
            consequence=_("The candidate and its description are deleted for good from the ballot."),
            back_url=_index_url(space, component),
            context={"space": space},
        )
    try:
        services.do_delete_candidate(candidate=candidate, user=request.user)
    except services.VoteError as error:
        messages.error(request, error.message)
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("majority_judgment")
def close(request, space, component):
    election = services.election_of(component)
    close_from_admin(
        request,
        targets=[election],
        close_now=lambda: services.do_close(
            election=election, user=request.user, trustee_keys=supplied_trustee_keys(request, election)
        ),
        error_class=services.VoteError,
        done_message=_("The vote is closed and its ballots are sealed."),
    )
    return redirect(_index_url(space, component))


@require_POST
@admin_component_view("majority_judgment")
def counting_keys(request, space, component):
    election = services.election_of(component)
    return keys_view(request, target=election, space=space, back_url=_index_url(space, component))
