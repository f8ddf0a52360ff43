"""Public pages of petitions: list, page with the live count, drafting, signing."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.files.storage import default_storage
from django.db.models import Q, Sum
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.authorizations.identity import identity_offered
from civitas.ballotbox.receipts import receipt_response
from civitas.components.petitions import services
from civitas.components.petitions.figures import signer_figures
from civitas.components.petitions.forms import DraftForm, InviteForm, ReceiptForm
from civitas.components.petitions.models import Petition, PublicState, SealedList, SignatureCounter, today
from civitas.components.views import public_component_view

PAGE_SIZE = 50


def _may_see_unpublished(user, petition) -> bool:
    if not user.is_authenticated:
        return False
    if petition.author_id == user.pk or petition.promoters.filter(user=user).exists():
        return True
    return user.has_perm("spaces.moderate_space", petition.component.space)


def _get(request, component, petition_id, *, with_author: bool = True) -> Petition:
    # The pages name the author; signing does not need the account row joined in.
    petitions = Petition.objects.select_related("author") if with_author else Petition.objects.all()
    petition = get_object_or_404(petitions, component=component, pk=petition_id)
    petition.component = component
    if not petition.is_public and not _may_see_unpublished(request.user, petition):
        raise Http404
    return petition


def _counts_of(petitions) -> dict[int, int]:
    rows = (
        SignatureCounter.objects.filter(petition__in=petitions)
        .values("petition_id")
        .annotate(total=Sum("online") + Sum("paper"))
    )
    return {row["petition_id"]: row["total"] or 0 for row in rows}


@public_component_view("petitions")
def petition_index(request, space, component):
    state = request.GET.get("state", "")
    state = state if state in PublicState.values else ""
    query = " ".join(request.GET.get("q", "").split())[:100]
    petitions = Petition.objects.public().filter(component=component)
    if state:
        petitions = petitions.in_state(state, today())
    if query:
        petitions = petitions.filter(Q(title__icontains=query) | Q(body__icontains=query))
    petitions = list(petitions[:PAGE_SIZE])
    counts = _counts_of(petitions)
    for petition in petitions:
        petition.component = component
        petition.signature_total = counts.get(petition.pk, 0)
    mine = []
    if request.user.is_authenticated:
        mine = list(
            Petition.objects.filter(component=component, status__in=("draft", "submitted"))
            .filter(Q(author=request.user) | Q(promoters__user=request.user))
            .distinct()
        )
    context = {
        "space": space,
        "component": component,
        "petitions": petitions,
        "state": state,
        "query": query,
        "states": PublicState.choices,
        "mine": mine,
        "can_create": request.user.has_perm("petitions.create", component),
    }
    return render(request, "petitions/index.html", context)


def _detail_context(request, space, component, petition, **extra):
    status = services.signer_status(petition, request.user)
    return {
        "space": space,
        "component": component,
        "petition": petition,
        "counts": petition.counts(),
        "figures": signer_figures(petition),
        "milestones": list(petition.milestones.all()),
        "promoters": list(petition.promoters.select_related("user")),
        "sealed": petition.sealed_lists.first(),
        "signing_open": petition.is_signing_open(),
        "sign_refusal": services.check_can_sign(petition, request.user),
        "signer": status,
        "identity_name": services.identity_label(petition.identity_handler),
        "identity_offered": identity_offered(request.organization, petition.identity_handler),
        "is_author": request.user.is_authenticated and petition.author_id == request.user.pk,
        "invitation": petition.promoters.filter(user=request.user).first()
        if request.user.is_authenticated
        else None,
        "submit_refusal": services.check_can_submit(petition),
        "invite_form": InviteForm(),
        "receipt_form": ReceiptForm(),
        **extra,
    }


@public_component_view("petitions")
def petition_detail(request, space, component, petition_id):
    petition = _get(request, component, petition_id)
    return render(request, "petitions/detail.html", _detail_context(request, space, component, petition))


@public_component_view("petitions")
def petition_count_json(request, space, component, petition_id):
    petition = _get(request, component, petition_id)
    if not petition.is_public:
        raise Http404
    counts = petition.counts()
    return JsonResponse(
        {
            "id": petition.pk,
            "state": petition.public_state(),
            "signatures": counts["total"],
            "online": counts["online"],
            "paper": counts["paper"],
            "answer_threshold": petition.answer_threshold,
            "deadline": petition.deadline.isoformat() if petition.deadline else None,
        }
    )


@public_component_view("petitions")
def petition_list_json(request, space, component):
    petitions = list(Petition.objects.public().filter(component=component)[:500])
    counts = _counts_of(petitions)
    return JsonResponse(
        {
            "petitions": [
                {
                    "id": petition.pk,
                    "title": petition.title,
                    "state": petition.public_state(),
                    "signatures": counts.get(petition.pk, 0),
                    "deadline": petition.deadline.isoformat() if petition.deadline else None,
                    "url": request.build_absolute_uri(f"{component.get_absolute_url()}{petition.pk}/"),
                }
                for petition in petitions
            ]
        }
    )


@public_component_view("petitions")
def petition_draft(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("petitions.create", component):
        raise Http404
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.do_draft(user=request.user, component=component, **form.cleaned_data)
        except services.PetitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your draft is saved. Invite co-promoters or submit it for review."))
            return redirect(petition.get_absolute_url())
    return render(request, "petitions/form.html", {"space": space, "component": component, "form": form})


@public_component_view("petitions")
def petition_edit(request, space, component, petition_id):
    petition = _get(request, component, petition_id)
    if petition.author_id != request.user.pk:
        raise Http404
    form = DraftForm(request.POST or None, initial={"title": petition.title, "body": petition.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_edit_draft(petition=petition, user=request.user, **form.cleaned_data)
        except services.PetitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your draft is saved."))
            return redirect(petition.get_absolute_url())
    context = {"space": space, "component": component, "form": form, "petition": petition}
    return render(request, "petitions/form.html", context)


def _done(request, petition, action, success: str):
    try:
        action()
    except services.PetitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(petition.get_absolute_url())


@require_POST
@public_component_view("petitions")
def petition_promoters(request, space, component, petition_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get(request, component, petition_id)
    if "remove" in request.POST:
        return _done(
            request,
            petition,
            lambda: services.do_remove_promoter(
                petition=petition, user=request.user, promoter_id=int(request.POST["remove"] or 0)
            ),
            _("The invitation is withdrawn."),
        )
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect(petition.get_absolute_url())
    return _done(
        request,
        petition,
        lambda: services.do_invite_promoter(
            petition=petition, user=request.user, email=form.cleaned_data["email"]
        ),
        _("The invitation is sent."),
    )


@require_POST
@public_component_view("petitions")
def petition_invitation(request, space, component, petition_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get(request, component, petition_id)
    accept = request.POST.get("accept") == "1"
    return _done(
        request,
        petition,
        lambda: services.do_answer_invitation(petition=petition, user=request.user, accept=accept),
        _("You co-promote this petition.") if accept else _("You declined the invitation."),
    )


@require_POST
@public_component_view("petitions")
def petition_submit(request, space, component, petition_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get(request, component, petition_id)
    return _done(
        request,
        petition,
        lambda: services.do_submit(petition=petition, user=request.user),
        _("Your petition is submitted: the moderators will publish it or tell you why not."),
    )


@require_POST
@public_component_view("petitions")
def petition_sign(request, space, component, petition_id):
    petition = _get(request, component, petition_id, with_author=False)
    if not request.user.is_authenticated:
        return redirect_to_login(petition.get_absolute_url())
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that you sign."))
        return redirect(petition.get_absolute_url())
    try:
        code, counts = services.sign_and_count(
            petition=petition, user=request.user, share_aggregates=request.POST.get("aggregates") == "1"
        )
    except services.PetitionError as error:
        messages.error(request, error.message)
        return redirect(petition.get_absolute_url())
    # The code is shown in this response only: it is never stored in clear, nor in the session.
    context = {
        "space": space,
        "component": component,
        "petition": petition,
        "counts": counts,
        "receipt_code": code,
    }
    return receipt_response(request, "petitions/signed.html", context)


@public_component_view("petitions")
def petition_withdraw(request, space, component, petition_id):
    """Asks first (a page saying the petition can be signed again), withdraws once confirmed:
    a one-click or forged POST without the confirmation withdraws nothing."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    petition = _get(request, component, petition_id)
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _done(
            request,
            petition,
            lambda: services.do_withdraw(petition=petition, user=request.user),
            _("Your signature is withdrawn."),
        )
    status = services.signer_status(petition, request.user)
    withdrawable_here = status.signed and not (status.on_paper or status.from_another_account)
    if not (petition.is_signing_open() and withdrawable_here):
        return redirect(petition.get_absolute_url())
    context = {"space": space, "component": component, "petition": petition, "signer": status}
    return render(request, "petitions/withdraw.html", context)


@public_component_view("petitions")
def petition_receipt(request, space, component, petition_id):
    """A receipt code comes in a POST, so that it stays out of the address, the browser's
    history and the logs; the answer is kept by no cache and sends no referrer."""
    petition = _get(request, component, petition_id)
    if request.method != "POST":
        return redirect(f"{petition.get_absolute_url()}#verify-title")
    form = ReceiptForm(request.POST)
    found = None
    if form.is_valid():
        found = services.verify_receipt(petition, form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("This is not a receipt code: it has 16 letters and digits."))
    context = _detail_context(request, space, component, petition, receipt_form=form, receipt_found=found)
    return receipt_response(request, "petitions/detail.html", context)


@public_component_view("petitions")
def signature_list_file(request, space, component, petition_id, list_id):
    petition = _get(request, component, petition_id)
    sealed = get_object_or_404(SealedList.objects.exclude(path=""), petition=petition, pk=list_id)
    response = FileResponse(
        default_storage.open(sealed.path, "rb"),
        as_attachment=True,
        filename=f"petition-{petition.pk}-signatures-{sealed.sealed_on.isoformat()}.jsonl",
        content_type="application/x-ndjson",
    )
    return response
