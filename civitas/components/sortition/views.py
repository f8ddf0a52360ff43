"""Public pages: the panel and its draw, volunteering, withdrawing, the published file."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.sortition import services
from civitas.components.sortition.forms import VolunteerForm
from civitas.components.sortition.lottery import summary
from civitas.components.sortition.models import Panel, ProposalDraw
from civitas.components.sortition.pool import features_with_values
from civitas.components.views import public_component_view
from civitas.sortition.draw import canonical_bytes


def _public_lottery(panel: Panel) -> bool:
    return panel.state in (Panel.State.PUBLISHED, Panel.State.DRAWN)


def _cancellation_reasons() -> dict:
    return {
        "withdrawal": _("a volunteer withdrew"),
        "pool": _("a volunteer joined the pool"),
        "seed_source": _("it did not fix where the seed would come from"),
    }


def _after_seed_known(cancellation: dict) -> bool:
    """Withdrawn once the seed could be known: readers should know that a draw was discarded."""
    known_at = cancellation.get("seed_known_at")
    return bool(known_at) and datetime.fromisoformat(cancellation["cancelled_at"]) >= datetime.fromisoformat(
        known_at
    )


@public_component_view("sortition")
def panel_page(request, space, component):
    panel = services.panel_of(component)
    mine = None
    if request.user.is_authenticated:
        mine = panel.volunteers.filter(user=request.user, withdrawn_at__isnull=True).first()
    context = {
        "space": space,
        "component": component,
        "panel": panel,
        "features": features_with_values(panel),
        "mine": mine,
        "register_blocker": services.check_can_register(panel, request.user) if not mine else None,
        "summary": summary(panel) if _public_lottery(panel) else None,
        "proposal_draws": component.proposal_draws.all(),
        "cancelled": [
            {
                **item,
                "reason": _cancellation_reasons().get(item["reason"], item["reason"]),
                "after_seed_known": _after_seed_known(item),
            }
            for item in panel.cancelled_publications
        ],
    }
    if mine and panel.state == Panel.State.DRAWN:
        context["mine_selected"] = mine.code in panel.selected_codes
        context["mine_alternate"] = (
            panel.alternate_codes.index(mine.code) + 1 if mine.code in panel.alternate_codes else None
        )
    return render(request, "sortition/panel.html", context)


@public_component_view("sortition")
def register(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    panel = services.panel_of(component)
    blocker = services.check_can_register(panel, request.user)
    if blocker:
        messages.error(request, blocker)
        return redirect(component.get_absolute_url())
    features = features_with_values(panel)
    initial = {"name": request.user.name or "", "email": request.user.email}
    form = VolunteerForm(request.POST or None, features=features, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.do_register(panel=panel, user=request.user, data=form.cleaned_data)
        except services.SortitionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("You are in the pool of volunteers. Your code in the published lottery is %(code)s.")
                % {"code": volunteer.code},
            )
            return redirect(component.get_absolute_url())
    return render(
        request,
        "sortition/register.html",
        {"space": space, "component": component, "panel": panel, "form": form},
    )


@require_POST
@public_component_view("sortition")
def withdraw(request, space, component):
    if not request.user.is_authenticated:
        return redirect_to_login(component.get_absolute_url())
    panel = services.panel_of(component)
    volunteer = panel.volunteers.filter(user=request.user, withdrawn_at__isnull=True).first()
    if volunteer is None:
        raise Http404
    volunteer.panel = panel
    if request.POST.get("confirm_withdraw") != "1":
        messages.error(request, _("Nothing changed: tick the box confirming that you withdraw."))
        return redirect(component.get_absolute_url())
    try:
        services.do_withdraw(volunteer=volunteer, user=request.user)
    except services.SortitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your registration is withdrawn: you will not be drawn."))
    return redirect(component.get_absolute_url())


@public_component_view("sortition")
def lottery_file(request, space, component):
    panel = services.panel_of(component)
    if not _public_lottery(panel):
        raise Http404
    response = HttpResponse(canonical_bytes(panel.lottery), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="lottery-{panel.lottery_hash[:12]}.json"'
    return response


@public_component_view("sortition")
def proposal_draw(request, space, component, draw_id):
    draw = get_object_or_404(ProposalDraw, component=component, pk=draw_id)
    titles = {item["id"]: item["title"] for item in draw.candidates["items"]}
    context = {
        "space": space,
        "component": component,
        "draw": draw,
        "chosen": [(item, titles[item]) for item in draw.chosen],
        "candidates": draw.candidates["items"],
    }
    return render(request, "sortition/proposal_draw.html", context)


@public_component_view("sortition")
def proposal_draw_file(request, space, component, draw_id):
    draw = get_object_or_404(ProposalDraw, component=component, pk=draw_id)
    response = HttpResponse(canonical_bytes(draw.candidates), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="proposals-{draw.candidates_hash[:12]}.json"'
    return response
