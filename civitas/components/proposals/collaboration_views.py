"""Pages of co-authorship and collaborative drafts; the rules live in ``collaboration``."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.authorizations.gate import verification_redirect
from civitas.components.proposals import collaboration
from civitas.components.proposals.forms import DraftForm
from civitas.components.proposals.models import Coauthorship, CollaborativeDraft, DraftCollaborator, Proposal
from civitas.components.proposals.queries import may_see_proposal
from civitas.components.proposals.rules import draft_author_ids
from civitas.components.proposals.services import ProposalError
from civitas.components.views import public_component_view
from civitas.core.confirmation import act_confirmed, confirm_deletion, deletion_confirmed
from civitas.core.params import parse_id
from civitas.notifications.services import do_toggle_follow, is_following


def coauthor_panel(proposal, user) -> dict | None:
    """What the proposal page shows a logged-in person about its co-authors, if anything."""
    if not user.is_authenticated or proposal.published_at is None:
        return None
    manages = user.has_perm("proposals.manage_coauthors", proposal)
    rows = [
        row
        for row in proposal.coauthorships.select_related("user")
        if row.state in (Coauthorship.State.INVITED, Coauthorship.State.ACCEPTED)
    ]
    mine = next((row for row in rows if row.user_id == user.pk), None)
    if not manages and mine is None:
        return None
    return {
        "manages": manages,
        "rows": rows if (manages or mine) else [],
        "invitation": mine if mine and mine.state == Coauthorship.State.INVITED else None,
        "mine": mine if mine and mine.state == Coauthorship.State.ACCEPTED else None,
    }


@require_POST
@public_component_view("proposals")
def proposal_coauthorship(request, space, component, proposal_id):
    """Invite (the author), accept or decline (the invited), take off or leave."""
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    proposal = get_object_or_404(
        Proposal.objects.select_related("author"), component=component, pk=proposal_id
    )
    proposal.component = component
    if not may_see_proposal(request.user, proposal):
        raise Http404
    try:
        if "nickname" in request.POST:
            coauthorship = collaboration.do_invite_coauthor(
                proposal=proposal, user=request.user, nickname=request.POST["nickname"][:60]
            )
            messages.success(
                request, _("%(person)s is invited to co-author.") % {"person": coauthorship.user.public_name}
            )
        elif request.POST.get("answer") in ("accept", "decline"):
            accept = request.POST["answer"] == "accept"
            collaboration.do_answer_coauthorship(proposal=proposal, user=request.user, accept=accept)
            messages.success(
                request,
                _("You are now a co-author of this proposal.")
                if accept
                else _("You declined the invitation."),
            )
        elif (coauthorship_id := parse_id(request.POST.get("end", ""))) is not None:
            ended = collaboration.do_end_coauthorship(
                proposal=proposal, user=request.user, coauthorship_id=coauthorship_id
            )
            messages.success(
                request,
                _("You left the co-authors of this proposal.")
                if ended.state == Coauthorship.State.LEFT
                else _("%(person)s is no longer a co-author.") % {"person": ended.user.public_name},
            )
        else:
            messages.error(request, _("Nothing to do: the form was incomplete."))
    except ProposalError as error:
        messages.error(request, error.message)
    return redirect(proposal.get_absolute_url())


# --- Collaborative drafts -------------------------------------------------------------------


def _drafts_on(component) -> bool:
    return bool(component.active_phase_settings().get("collaborative_drafts_enabled"))


def _get_draft(request, component, draft_id) -> CollaborativeDraft:
    draft = get_object_or_404(
        CollaborativeDraft.objects.select_related("author", "proposal"), component=component, pk=draft_id
    )
    draft.component = component
    if not request.user.has_perm("proposals.view_draft", draft):
        raise Http404
    return draft


@public_component_view("proposals")
def draft_index(request, space, component):
    state = request.GET.get("state", "open")
    state = state if state in CollaborativeDraft.State.values else "open"
    drafts = CollaborativeDraft.objects.listed().filter(component=component, state=state)
    if request.GET.get("mine") == "1" and request.user.is_authenticated:
        drafts = drafts.filter(
            Q(author=request.user)
            | Q(collaborators__user=request.user, collaborators__state=DraftCollaborator.State.ACCEPTED)
        ).distinct()
    page = Paginator(drafts.order_by("-updated_at", "-pk").select_related("author"), 20).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    # Every author of the page in one query, however many drafts it shows.
    accepted = DraftCollaborator.objects.filter(
        draft_id__in=[draft.pk for draft in rows], state=DraftCollaborator.State.ACCEPTED
    ).select_related("user")
    others: dict[int, list] = {}
    for collaborator in accepted:
        others.setdefault(collaborator.draft_id, []).append(collaborator.user)
    for draft in rows:
        draft.component = component
        draft.coauthors = others.get(draft.pk, [])
    page.object_list = rows
    context = {
        "space": space,
        "component": component,
        "page": page,
        "state": state,
        "states": CollaborativeDraft.State.choices,
        "mine": request.GET.get("mine") == "1",
        "drafts_on": _drafts_on(component),
        "can_open": request.user.has_perm("proposals.open_draft", component),
    }
    return render(request, "proposals/drafts/index.html", context)


@public_component_view("proposals")
def draft_create(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("proposals.open_draft", component):
        back = f"{component.get_absolute_url()}drafts/"
        return verification_redirect(request, component, "open_draft", back) or _refuse()
    form = DraftForm(request.POST if request.method == "POST" else None, component=component)
    if request.method == "POST" and form.is_valid():
        try:
            draft = collaboration.do_open_draft(
                user=request.user,
                component=component,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your draft is open. Others can now ask to write it with you."))
            return redirect(draft.get_absolute_url())
    return render(
        request, "proposals/drafts/form.html", {"space": space, "component": component, "form": form}
    )


def _refuse():
    raise PermissionDenied


@public_component_view("proposals")
def draft_detail(request, space, component, draft_id):
    draft = _get_draft(request, component, draft_id)
    user = request.user
    author_ids = draft_author_ids(draft)
    collaborators = list(draft.collaborators.select_related("user"))
    is_author = user.is_authenticated and user.pk in author_ids
    mine = (
        next((row for row in collaborators if row.user_id == user.pk), None)
        if user.is_authenticated
        else None
    )
    context = {
        "space": space,
        "component": component,
        "draft": draft,
        "authors": [draft.author, *(row.user for row in collaborators if row.state == "accepted")],
        "requests": [row for row in collaborators if row.state == "requested"] if is_author else [],
        "my_request": mine,
        "is_author": is_author,
        "can_edit": user.has_perm("proposals.edit_draft", draft),
        "can_ask": mine is None and user.has_perm("proposals.ask_to_join_draft", draft),
        "can_answer": user.has_perm("proposals.answer_draft_request", draft),
        "can_publish": user.has_perm("proposals.publish_draft", draft),
        "can_withdraw": user.has_perm("proposals.withdraw_draft", draft),
        "following": is_following(user, draft),
        "version": collaboration.draft_version_number(draft),
    }
    return render(request, "proposals/drafts/detail.html", context)


@public_component_view("proposals")
def draft_edit(request, space, component, draft_id):
    draft = _get_draft(request, component, draft_id)
    if not request.user.has_perm("proposals.edit_draft", draft):
        raise PermissionDenied
    conflict = None
    if request.method == "POST":
        form = DraftForm(request.POST, instance=draft, component=component)
        if form.is_valid() and form.cleaned_data.get("started_from") is None:
            form.add_error(None, _("This form is out of date: open the draft's edit page again."))
        if form.is_valid():
            try:
                collaboration.do_save_draft(
                    draft=draft,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    started_from=form.cleaned_data["started_from"],
                )
            except collaboration.DraftConflict as error:
                conflict = error
                # The person's own words stay in the form; it now starts from the newest
                # version, so their next save (once merged by hand) goes through.
                data = request.POST.copy()
                data["started_from"] = str(error.newest.number)
                form = DraftForm(data, component=component)
                form.is_valid()
            except ProposalError as error:
                messages.error(request, error.message)
                return redirect(draft.get_absolute_url())
            else:
                messages.success(request, _("The draft is saved."))
                return redirect(draft.get_absolute_url())
    else:
        form = DraftForm(
            instance=draft,
            component=component,
            initial={"started_from": collaboration.draft_version_number(draft)},
        )
    context = {"space": space, "component": component, "form": form, "draft": draft, "conflict": conflict}
    return render(request, "proposals/drafts/form.html", context, status=409 if conflict else 200)


@require_POST
@public_component_view("proposals")
def draft_request(request, space, component, draft_id):
    """Ask to join (anyone allowed); accept or refuse a request (the authors)."""
    draft = _get_draft(request, component, draft_id)
    if not request.user.is_authenticated:
        return redirect_to_login(draft.get_absolute_url())
    try:
        if (request_id := parse_id(request.POST.get("request", ""))) is not None:
            accept = request.POST.get("answer") == "accept"
            answered = collaboration.do_answer_request(
                draft=draft, user=request.user, request_id=request_id, accept=accept
            )
            messages.success(
                request,
                (
                    _("%(person)s now writes this draft with you.")
                    if accept
                    else _("The request of %(person)s is refused.")
                )
                % {"person": answered.user.public_name},
            )
        else:
            if not request.user.has_perm("proposals.join_draft", component):
                gate = verification_redirect(request, component, "join_draft", draft.get_absolute_url())
                if gate is not None:
                    return gate
            collaboration.do_ask_to_join(draft=draft, user=request.user)
            messages.success(request, _("Your request is sent to the authors of the draft."))
    except ProposalError as error:
        messages.error(request, error.message)
    return redirect(draft.get_absolute_url())


def _confirm(request, draft, *, title, consequence, button, context):
    return render(
        request,
        "proposals/drafts/confirm.html",
        {**context, "draft": draft, "title": title, "consequence": consequence, "button": button},
    )


@require_POST
@public_component_view("proposals")
def draft_publish(request, space, component, draft_id):
    draft = _get_draft(request, component, draft_id)
    if not request.user.has_perm("proposals.publish_draft", draft):
        raise PermissionDenied
    if not act_confirmed(request):
        return _confirm(
            request,
            draft,
            title=_("Publish this draft as a proposal?"),
            consequence=_(
                "The draft becomes a proposal signed by all its authors and can no longer be edited "
                "as a draft. Its history and its comments stay on the draft's page."
            ),
            button=_("Publish as a proposal"),
            context={"space": space, "component": component},
        )
    try:
        proposal = collaboration.do_publish_draft(draft=draft, user=request.user)
    except ProposalError as error:
        messages.error(request, error.message)
        return redirect(draft.get_absolute_url())
    messages.success(request, _("The draft is published as a proposal."))
    return redirect(proposal.get_absolute_url())


@require_POST
@public_component_view("proposals")
def draft_withdraw(request, space, component, draft_id):
    draft = _get_draft(request, component, draft_id)
    if not request.user.has_perm("proposals.withdraw_draft", draft):
        raise PermissionDenied
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=draft.title,
            consequence=_(
                "A withdrawn draft stays visible, marked withdrawn, but nobody can edit or publish it."
            ),
            back_url=draft.get_absolute_url(),
            public=True,
        )
    try:
        collaboration.do_withdraw_draft(draft=draft, user=request.user)
    except ProposalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The draft is withdrawn."))
    return redirect(draft.get_absolute_url())


@require_POST
@public_component_view("proposals")
def draft_follow(request, space, component, draft_id):
    draft = _get_draft(request, component, draft_id)
    if not request.user.is_authenticated:
        return redirect_to_login(draft.get_absolute_url())
    do_toggle_follow(request.user, draft)
    return redirect(draft.get_absolute_url())
