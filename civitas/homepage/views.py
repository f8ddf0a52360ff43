from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.core.params import parse_id
from civitas.homepage import services
from civitas.homepage.models import HomeBlock
from civitas.homepage.registry import all_block_types, get_block_type
from civitas.organizations.access import organization_admin_required


def home(request):
    return render(request, "homepage/home.html", {"blocks": services.shown_blocks(request)})


def _arranger_required(view):
    """Organization admins of this organization only (two-factor included), as the rule says."""

    @organization_admin_required
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("homepage.arrange_home", request.organization):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _block(request, block_id) -> HomeBlock:
    return get_object_or_404(HomeBlock, pk=block_id, organization=request.organization)


def _back_to_list(focus: str = ""):
    url = reverse("homepage_admin:blocks")
    return redirect(f"{url}?{urlencode({'focus': focus})}#{focus}" if focus else url)


@_arranger_required
def block_list(request):
    services.ensure_arranged(request.organization)
    # The control to give the keyboard back to after a move or a change (see _back_to_list).
    control, _dash, block_id = request.GET.get("focus", "").partition("-")
    blocks = list(HomeBlock.objects.filter(organization=request.organization).order_by("position", "pk"))
    return render(
        request,
        "homepage/admin/blocks.html",
        {"blocks": blocks, "focus_control": control, "focus_block": parse_id(block_id)},
    )


@_arranger_required
def block_create(request):
    block_type = get_block_type(request.GET.get("type", ""))
    if block_type is None:
        if request.GET.get("type"):
            raise Http404
        return render(request, "homepage/admin/choose.html", {"block_types": all_block_types()})
    block = HomeBlock(organization=request.organization, kind=block_type.name)
    form = block_type.form_class()(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        block=block,
        organization=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        block = services.do_add_block(organization=request.organization, user=request.user, form=form)
        messages.success(request, _("The block is added at the bottom of the home page."))
        return _back_to_list(f"block-{block.pk}")
    return render(
        request,
        "homepage/admin/block_form.html",
        {"form": form, "home_block": block, "block_type": block_type},
    )


@_arranger_required
def block_edit(request, block_id):
    block = _block(request, block_id)
    block_type = block.block_type
    if block_type is None:
        raise Http404
    form = block_type.form_class()(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        block=block,
        organization=request.organization,
    )
    if request.method == "POST" and form.is_valid():
        services.do_save_block(block=block, user=request.user, form=form)
        messages.success(request, _("The block is saved."))
        return _back_to_list(f"block-{block.pk}")
    return render(
        request,
        "homepage/admin/block_form.html",
        {"form": form, "home_block": block, "block_type": block_type},
    )


@require_POST
@_arranger_required
def block_move(request, block_id):
    block = _block(request, block_id)
    up = request.POST.get("direction") == "up"
    services.do_move_block(block=block, user=request.user, direction=-1 if up else 1)
    # The keyboard stays on the button just pressed (autofocus), or on the other one at an end.
    positions = list(
        HomeBlock.objects.filter(organization=request.organization)
        .order_by("position", "pk")
        .values_list("pk", flat=True)
    )
    index = positions.index(block.pk)
    if up and index == 0:
        up = False
    elif not up and index == len(positions) - 1:
        up = True
    return _back_to_list(f"{'up' if up else 'down'}-{block.pk}")


@require_POST
@_arranger_required
def block_visibility(request, block_id):
    block = _block(request, block_id)
    visible = request.POST.get("visible") == "1"
    services.do_set_visible(block=block, user=request.user, visible=visible)
    if visible:
        messages.success(request, _("The block is shown on the home page."))
    else:
        messages.success(request, _("The block is hidden from the home page."))
    return _back_to_list(f"visibility-{block.pk}")


@require_POST
@_arranger_required
def block_delete(request, block_id):
    block = _block(request, block_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=str(block),
            consequence=_("The block leaves the home page for good; hiding it keeps it for later."),
            back_url=reverse("homepage_admin:blocks"),
        )
    services.do_delete_block(block=block, user=request.user)
    messages.success(request, _("The block is deleted."))
    return _back_to_list()
