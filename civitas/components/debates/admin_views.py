"""Back-office pages of the debates component."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.components.debates import services
from civitas.components.debates.forms import ConclusionForm, OfficialDebateForm
from civitas.components.debates.models import Debate
from civitas.components.views import admin_component_view


def _index_url(space, component) -> str:
    return reverse("debates_admin:index", kwargs={"space_id": space.pk, "component_id": component.pk})


def _get(component, debate_id) -> Debate:
    debate = get_object_or_404(Debate, component=component, pk=debate_id)
    debate.component = component
    return debate


@admin_component_view("debates")
def debate_admin_index(request, space, component):
    debates = Debate.objects.filter(component=component).select_related("author").order_by("-created_at")
    return render(
        request, "debates/admin/index.html", {"space": space, "component": component, "debates": debates}
    )


@admin_component_view("debates")
def debate_edit(request, space, component, debate_id=None):
    debate = _get(component, debate_id) if debate_id else Debate(component=component)
    if debate.author_id is not None:
        messages.error(request, _("Debates opened by participants cannot be edited; they can be closed."))
        return redirect(_index_url(space, component))
    form = OfficialDebateForm(request.POST or None, instance=debate)
    if request.method == "POST" and form.is_valid():
        services.do_save_official_debate(form=form, user=request.user, component=component)
        messages.success(request, _("The debate is saved."))
        return redirect(_index_url(space, component))
    return render(
        request,
        "debates/admin/form.html",
        {"space": space, "component": component, "debate": debate, "form": form},
    )


@require_POST
@admin_component_view("debates")
def debate_publish(request, space, component, debate_id):
    debate = _get(component, debate_id)
    published = request.POST.get("published") == "1"
    services.do_set_debate_published(debate=debate, user=request.user, published=published)
    messages.success(request, _("The debate is published.") if published else _("The debate is unpublished."))
    return redirect(_index_url(space, component))


@admin_component_view("debates")
def debate_close(request, space, component, debate_id):
    debate = _get(component, debate_id)
    form = ConclusionForm(request.POST or None, initial={"conclusion": debate.conclusion})
    if request.method == "POST" and form.is_valid():
        try:
            services.do_close_debate(
                debate=debate, user=request.user, conclusion=form.cleaned_data["conclusion"]
            )
        except services.DebateError as error:
            form.add_error("conclusion", str(error))
        else:
            messages.success(request, _("The debate is closed; its conclusion is public."))
            return redirect(_index_url(space, component))
    return render(
        request,
        "debates/admin/close.html",
        {"space": space, "component": component, "debate": debate, "form": form},
    )
