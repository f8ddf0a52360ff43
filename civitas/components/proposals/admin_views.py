"""Back-office pages of the proposals component: answers, evaluation, custom states."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.components.models import Component
from civitas.components.proposals import answers
from civitas.components.proposals.admin_forms import AnswerForm, CustomStateForm, EvaluatorsForm, NoteForm
from civitas.components.proposals.models import CLOSED_STATES, Proposal, ProposalLink
from civitas.components.proposals.queries import with_coauthors
from civitas.core.confirmation import act_confirmed, confirm_act
from civitas.core.richtext import plain_text
from civitas.core.streaming import short_reads, streamed_export
from civitas.spaces.models import Space

OPEN_STATES = [state for state in Proposal.State.values if state not in CLOSED_STATES]


def evaluation_view(view):
    """Space admins and the space's evaluators; 404 outside the organization, 403 without a role."""

    @wraps(view)
    def wrapper(request, space_id, component_id, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        space = get_object_or_404(Space, organization=request.organization, pk=space_id)
        if not request.user.has_perm("spaces.evaluate_space", space):
            raise PermissionDenied
        component = get_object_or_404(Component, space=space, pk=component_id, manifest_name="proposals")
        component.space = space
        return view(request, space, component, *args, **kwargs)

    return wrapper


def _require_admin(request, space) -> None:
    if not request.user.has_perm("spaces.admin_space", space):
        raise PermissionDenied


@evaluation_view
def proposal_admin_index(request, space, component):
    proposals = (
        Proposal.objects.published().filter(component=component).select_related("author", "custom_state")
    )
    is_admin = request.user.has_perm("spaces.admin_space", space)
    if not is_admin:
        proposals = proposals.filter(evaluators=request.user)
    if request.GET.get("filter") == "unanswered":
        proposals = proposals.filter(answered_at__isnull=True)
    proposals = proposals.prefetch_related("evaluators").order_by("-published_at", "-pk")
    pending = sum(1 for proposal in proposals if proposal.has_unpublished_answer)
    context = {
        "space": space,
        "component": component,
        "proposals": proposals,
        "is_admin": is_admin,
        "pending": pending,
        "state_form": CustomStateForm(),
        "filter": request.GET.get("filter", ""),
        "open_states": OPEN_STATES,
    }
    return render(request, "proposals/admin/index.html", context)


@evaluation_view
def proposal_evaluate(request, space, component, proposal_id):
    proposal = get_object_or_404(Proposal.objects.published(), component=component, pk=proposal_id)
    proposal.component = component
    if not answers.can_evaluate(request.user, proposal):
        raise PermissionDenied
    is_admin = request.user.has_perm("spaces.admin_space", space)
    answer_form = AnswerForm(
        request.POST if request.method == "POST" else None,
        instance=proposal,
        component=component,
        prefix="answer",
    )
    if request.method == "POST" and answer_form.is_valid():
        publish = answer_form.cleaned_data["publish"] and is_admin
        answers.do_save_answer(
            proposal=proposal, user=request.user, data=answer_form.cleaned_data, publish=publish
        )
        messages.success(request, _("The answer is published.") if publish else _("The answer is saved."))
        return redirect(request.path)
    if not is_admin:
        answer_form.fields["publish"].disabled = True
        answer_form.fields["publish"].help_text = _("A space admin publishes answers.")
    context = {
        "space": space,
        "component": component,
        "proposal": proposal,
        "answer_form": answer_form,
        "note_form": NoteForm(prefix="note"),
        "notes": proposal.notes.select_related("author"),
        "evaluators_form": EvaluatorsForm(
            space=space, initial={"evaluators": proposal.evaluators.all()}, prefix="evaluators"
        )
        if is_admin
        else None,
        "open_states": OPEN_STATES,
    }
    return render(request, "proposals/admin/evaluate.html", context)


@require_POST
@evaluation_view
def proposal_add_note(request, space, component, proposal_id):
    proposal = get_object_or_404(Proposal.objects.published(), component=component, pk=proposal_id)
    proposal.component = component
    if not answers.can_evaluate(request.user, proposal):
        raise PermissionDenied
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        answers.do_add_note(proposal=proposal, user=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("The note is added."))
    else:
        messages.error(request, _("The note is empty or too long."))
    return redirect(
        "proposals_admin:evaluate", space_id=space.pk, component_id=component.pk, proposal_id=proposal.pk
    )


@require_POST
@evaluation_view
def proposal_assign(request, space, component, proposal_id):
    _require_admin(request, space)
    proposal = get_object_or_404(Proposal.objects.published(), component=component, pk=proposal_id)
    proposal.component = component
    form = EvaluatorsForm(request.POST, space=space, prefix="evaluators")
    if form.is_valid():
        answers.do_assign_evaluators(
            proposal=proposal, user=request.user, evaluators=form.cleaned_data["evaluators"]
        )
        messages.success(request, _("The evaluators are assigned."))
    else:
        messages.error(request, _("Choose evaluators among the space's evaluators."))
    return redirect(
        "proposals_admin:evaluate", space_id=space.pk, component_id=component.pk, proposal_id=proposal.pk
    )


@require_POST
@evaluation_view
def publish_answers(request, space, component):
    _require_admin(request, space)
    if not act_confirmed(request):
        return confirm_act(
            request,
            title=_("Publish the waiting answers?"),
            consequence=_(
                "Every answer prepared and not yet published becomes public at once, and the "
                "authors and followers of those proposals are notified."
            ),
            button=_("Publish the waiting answers"),
            back_url=reverse(
                "proposals_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk}
            ),
            context={"space": space, "component": component},
        )
    count = answers.do_publish_pending_answers(component=component, user=request.user)
    messages.success(
        request,
        ngettext("%(count)s answer is published.", "%(count)s answers are published.", count)
        % {"count": count},
    )
    return redirect("proposals_admin:index", space_id=space.pk, component_id=component.pk)


@require_POST
@evaluation_view
def add_custom_state(request, space, component):
    _require_admin(request, space)
    form = CustomStateForm(request.POST)
    if form.is_valid():
        answers.do_add_custom_state(component=component, user=request.user, form=form)
        messages.success(request, _("The state is added."))
    else:
        messages.error(request, _("Give the state a name and a colour as #RRGGBB."))
    return redirect("proposals_admin:index", space_id=space.pk, component_id=component.pk)


EXPORT_COLUMNS = [
    "id",
    "title",
    "body",
    "author",
    "coauthors",
    "published_at",
    "state",
    "custom_state",
    "supports",
    "comments",
    "address",
    "estimated_cost",
    "answer",
    "answer_published_at",
    "hidden",
    "comes_from",
    "led_to",
]


def _links_by_proposal(component) -> tuple[dict, dict]:
    """``kind:id`` words of each proposal's links, both ways, read in one query."""
    comes_from, led_to = {}, {}
    links = ProposalLink.objects.filter(Q(component=component) | Q(source__component=component))
    for kind, source, target in links.values_list("kind", "source_id", "target_id").order_by("pk"):
        comes_from.setdefault(target, []).append(f"{kind}:{source}")
        led_to.setdefault(source, []).append(f"{kind}:{target}")
    return comes_from, led_to


def _export_rows(component):
    proposals = short_reads(
        with_coauthors(
            Proposal.objects.published().filter(component=component).select_related("author", "custom_state")
        )
    )
    comes_from, led_to = _links_by_proposal(component)
    for proposal in proposals:
        yield {
            "id": proposal.pk,
            "title": proposal.title,
            "body": plain_text(proposal.body),
            "author": proposal.author.nickname if not proposal.author.is_deleted else "",
            "coauthors": ", ".join(one.nickname for one in proposal.coauthors if not one.is_deleted),
            "published_at": proposal.published_at.isoformat(),
            "state": proposal.state,
            "custom_state": proposal.custom_state.name if proposal.custom_state else "",
            "supports": proposal.support_count,
            "comments": proposal.comment_count,
            "address": proposal.address,
            "estimated_cost": str(proposal.published_cost) if proposal.published_cost is not None else "",
            "answer": plain_text(proposal.published_answer),
            "answer_published_at": proposal.answer_published_at.isoformat()
            if proposal.answer_published_at
            else "",
            "hidden": proposal.hidden_at is not None,
            "comes_from": " ".join(comes_from.get(proposal.pk, ())),
            "led_to": " ".join(led_to.get(proposal.pk, ())),
        }


@evaluation_view
def export_proposals(request, space, component):
    """All proposals of the component, streamed as CSV or JSON (admins only)."""
    _require_admin(request, space)
    export_format = "json" if request.GET.get("format") == "json" else "csv"
    return streamed_export(
        filename=f"proposals-{space.slug}-{component.pk}",
        export_format=export_format,
        columns=EXPORT_COLUMNS,
        rows=_export_rows(component),
    )


COMMENT_EXPORT_COLUMNS = [
    "id",
    "proposal_id",
    "parent_id",
    "depth",
    "author",
    "alignment",
    "body",
    "ups",
    "downs",
    "created_at",
    "edited_at",
    "deleted",
    "hidden",
]


def _comment_rows(component):
    from civitas.comments.models import Comment

    comments = Comment.objects.filter(component=component).select_related("author")
    for comment in short_reads(comments):
        yield {
            "id": comment.pk,
            "proposal_id": comment.object_id,
            "parent_id": comment.parent_id or "",
            "depth": comment.depth,
            "author": "" if comment.author.is_deleted else comment.author.nickname,
            "alignment": comment.alignment,
            "body": "" if comment.is_deleted else plain_text(comment.body),
            "ups": comment.ups,
            "downs": comment.downs,
            "created_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else "",
            "deleted": comment.is_deleted,
            "hidden": comment.hidden_at is not None,
        }


@evaluation_view
def export_comments(request, space, component):
    """All comments on the component's proposals, streamed as CSV or JSON (admins only)."""
    _require_admin(request, space)
    export_format = "json" if request.GET.get("format") == "json" else "csv"
    return streamed_export(
        filename=f"comments-{space.slug}-{component.pk}",
        export_format=export_format,
        columns=COMMENT_EXPORT_COLUMNS,
        rows=_comment_rows(component),
    )
