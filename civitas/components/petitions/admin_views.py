"""Back-office pages of petitions: review (moderators too), answer, paper batches, sealed lists."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from civitas.components.models import Component
from civitas.components.petitions import paper, services
from civitas.components.petitions.forms import AnswerForm, BatchForm, DeclineForm, PaperLineForm, PublishForm
from civitas.components.petitions.models import PaperBatch, Petition, Status
from civitas.components.petitions.signature_list import do_seal_list
from civitas.core.confirmation import act_confirmed, confirm_act, confirm_deletion, deletion_confirmed
from civitas.spaces.models import Space


def petitions_admin_view(permission: str):
    """Like ``admin_component_view``, with the space permission the page needs:
    moderators review petitions, admins answer them and key paper signatures."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, space_id, component_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            space = get_object_or_404(Space, organization=request.organization, pk=space_id)
            if not request.user.has_perm(permission, space):
                raise PermissionDenied
            component = get_object_or_404(Component, space=space, pk=component_id, manifest_name="petitions")
            component.space = space
            return view(request, space, component, *args, **kwargs)

        return wrapper

    return decorator


review_view = petitions_admin_view("spaces.moderate_space")
admin_view = petitions_admin_view("spaces.admin_space")


def _url(name, component, **kwargs) -> str:
    return reverse(
        f"petitions_admin:{name}",
        kwargs={"space_id": component.space_id, "component_id": component.pk, **kwargs},
    )


def _get(component, petition_id) -> Petition:
    petition = get_object_or_404(
        Petition.objects.select_related("author"), component=component, pk=petition_id
    )
    petition.component = component
    return petition


@review_view
def petition_admin_index(request, space, component):
    petitions = list(
        Petition.objects.filter(component=component).exclude(status=Status.DRAFT).order_by("-pk")
    )
    for petition in petitions:
        petition.component = component
        petition.signature_total = petition.counts()["total"]
    context = {
        "space": space,
        "component": component,
        "awaiting": [p for p in petitions if p.status == Status.SUBMITTED],
        "petitions": [p for p in petitions if p.status != Status.SUBMITTED],
        "is_admin": request.user.has_perm("spaces.admin_space", space),
        "thresholds": services.thresholds_for(component),
    }
    return render(request, "petitions/admin/index.html", context)


@review_view
def petition_review(request, space, component, petition_id):
    petition = _get(component, petition_id)
    publish_form = PublishForm(
        request.POST if request.POST.get("decision") == "publish" else None,
        organization=request.organization,
        initial={"deadline": services.default_deadline(component), "identity_handler": "franceconnect"},
    )
    decline_form = DeclineForm(request.POST if request.POST.get("decision") == "decline" else None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "publish" and publish_form.is_valid():
                services.do_publish(petition=petition, user=request.user, **publish_form.cleaned_data)
                messages.success(request, _("The petition is published: it can be signed."))
                return redirect(_url("index", component))
            if request.POST.get("decision") == "decline" and decline_form.is_valid():
                services.do_decline(petition=petition, user=request.user, **decline_form.cleaned_data)
                messages.success(request, _("The petition is declined; its reason is public."))
                return redirect(_url("index", component))
        except services.PetitionError as error:
            messages.error(request, error.message)
    context = {
        "space": space,
        "component": component,
        "petition": petition,
        "publish_form": publish_form,
        "decline_form": decline_form,
        "thresholds": services.thresholds_for(component),
    }
    return render(request, "petitions/admin/review.html", context)


@admin_view
def petition_answer(request, space, component, petition_id):
    petition = _get(component, petition_id)
    form = AnswerForm(request.POST or None, initial={"answer": petition.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_answer(petition=petition, user=request.user, answer=form.cleaned_data["answer"])
        except services.PetitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The official answer is published."))
            return redirect(_url("index", component))
    context = {"space": space, "component": component, "petition": petition, "form": form}
    return render(request, "petitions/admin/answer.html", context)


@require_POST
@admin_view
def petition_seal(request, space, component, petition_id):
    petition = _get(component, petition_id)
    if petition.status == Status.PUBLISHED and not act_confirmed(request):
        return confirm_act(
            request,
            title=_("Seal the signature list of “%(title)s”?") % {"title": petition.title},
            consequence=_(
                "The list is counted and sealed for good: its count and seal are published, "
                "and no signature can be added afterwards."
            ),
            button=_("Seal the list now"),
            back_url=_url("index", component),
            context={"space": space, "component": component},
        )
    if petition.status != Status.PUBLISHED:
        messages.error(request, _("Only a published petition has a signature list."))
    else:
        sealed = do_seal_list(petition)
        messages.success(
            request,
            ngettext(
                "The signature list is sealed: %(count)s signature.",
                "The signature list is sealed: %(count)s signatures.",
                sealed.count,
            )
            % {"count": sealed.count},
        )
    return redirect(_url("index", component))


@admin_view
def paper_batches(request, space, component, petition_id):
    petition = _get(component, petition_id)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = paper.do_create_batch(
                petition=petition, user=request.user, label=form.cleaned_data["label"]
            )
        except services.PetitionError as error:
            form.add_error(None, error.message)
        else:
            return redirect(_url("batch", component, petition_id=petition.pk, batch_id=batch.pk))
    context = {
        "space": space,
        "component": component,
        "petition": petition,
        "form": form,
        "batches": list(petition.paper_batches.all()),
    }
    return render(request, "petitions/admin/paper.html", context)


@admin_view
def paper_batch(request, space, component, petition_id, batch_id):
    petition = _get(component, petition_id)
    batch = get_object_or_404(PaperBatch, petition=petition, pk=batch_id)
    batch.petition = petition
    here = _url("batch", component, petition_id=petition.pk, batch_id=batch.pk)
    form = PaperLineForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "count":
                counted, duplicates = paper.do_count_batch(batch=batch, user=request.user)
                messages.success(
                    request,
                    _("%(counted)s paper signatures counted; %(duplicates)s already there.")
                    % {"counted": counted, "duplicates": duplicates},
                )
                return redirect(here)
            if action == "delete":
                keying = get_object_or_404(batch.keyings, pk=int(request.POST.get("keying") or 0))
                if not deletion_confirmed(request):
                    return confirm_deletion(
                        request,
                        name=_("Keying of line %(line)s") % {"line": keying.line},
                        consequence=_(
                            "This keying of the signature line is deleted for good: "
                            "the line must be keyed again."
                        ),
                        back_url=here,
                        context={"space": space},
                    )
                paper.do_delete_keying(keying=keying, user=request.user)
                messages.success(request, _("Your keying of this line is deleted."))
                return redirect(here)
            form = PaperLineForm(request.POST)
            if form.is_valid():
                data = {**form.cleaned_data, "birth_date": form.cleaned_data["birth_date"].isoformat()}
                keying = paper.do_key_line(batch=batch, user=request.user, data=data)
                messages.success(request, _("Line %(line)s keyed.") % {"line": keying.line})
                return redirect(here)
        except services.PetitionError as error:
            messages.error(request, error.message)
    context = {
        "space": space,
        "component": component,
        "petition": petition,
        "batch": batch,
        "form": form,
        "status": paper.batch_status(batch),
        "count_refusal": paper.check_can_count(batch),
        "mine": list(batch.keyings.filter(keyed_by=request.user)),
    }
    return render(request, "petitions/admin/batch.html", context)
