"""Back-office pages to add, configure, publish and order a space's components."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.backoffice.decorators import space_admin_required
from civitas.backoffice.forms import ComponentNameForm, NewComponentForm
from civitas.components import services
from civitas.components.forms import SchemaForm
from civitas.components.manifest import registry
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.spaces.services import do_move


def _component(space, component_id):
    component = get_object_or_404(space.components, pk=component_id)
    if component.manifest is None:
        raise Http404  # its app was removed from the installation
    component.space = space
    return component


@space_admin_required
def component_create(request, space):
    # ?type=pages from the dashboard's "write a page": that type chosen, a name offered.
    chosen = request.GET.get("type", "")
    initial = {"manifest_name": chosen} if chosen in dict(registry.choices()) else {}
    form = NewComponentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        manifest = registry.get(form.cleaned_data["manifest_name"])
        component = services.do_add_component(
            space=space, user=request.user, manifest=manifest, name=form.cleaned_data["name"]
        )
        messages.success(request, _("The component is added, unpublished. Configure it, then publish it."))
        return redirect("backoffice:component", space_id=space.pk, component_id=component.pk)
    return render(
        request,
        "backoffice/components/create.html",
        {"space": space, "form": form, "manifests": registry.all()},
    )


@space_admin_required
def component_configure(request, space, component_id):
    component = _component(space, component_id)
    manifest = component.manifest
    data = request.POST if request.method == "POST" else None
    name_form = ComponentNameForm(data, initial={"name": component.name}, prefix="component")
    settings_form = SchemaForm(
        manifest.settings, data, initial=component.current_settings(), prefix="settings"
    )
    phases = list(space.phases.all()) or [None]
    phase_forms = (
        [
            (
                phase,
                SchemaForm(
                    manifest.phase_settings,
                    data,
                    initial=component.settings_for_phase(phase),
                    prefix=f"phase-{phase.pk if phase else 'default'}",
                ),
            )
            for phase in phases
        ]
        if manifest.phase_settings
        else []
    )
    lock = services.settings_lock(component)
    if lock is not None:
        # Shown read-only; a changed value sent anyway is refused below, not silently dropped.
        for name in lock.names & settings_form.fields.keys():
            settings_form.fields[name].disabled = True
    forms = [name_form, settings_form, *(form for _phase, form in phase_forms)]
    status = 200
    if request.method == "POST" and lock is not None and _sent_locked_changes(settings_form, lock, data):
        messages.error(request, lock.reason)
        status = 400
    elif request.method == "POST" and all(form.is_valid() for form in forms):
        try:
            services.do_configure_component(
                component=component,
                user=request.user,
                name=name_form.cleaned_data["name"],
                settings=settings_form.typed,
                phase_settings={
                    str(phase.pk) if phase else "default": form.typed for phase, form in phase_forms
                },
            )
        except services.SettingsLocked as error:
            messages.error(request, error.message)
            status = 400
        else:
            messages.success(request, _("The component is saved."))
            return redirect("backoffice:component", space_id=space.pk, component_id=component.pk)
    context = {
        "space": space,
        "component": component,
        "manifest": manifest,
        "name_form": name_form,
        "settings_form": settings_form,
        "phase_forms": phase_forms,
        "manage_url": _manage_url(component),
        "settings_lock": lock,
    }
    return render(request, "backoffice/components/configure.html", context, status=status)


def _sent_locked_changes(settings_form, lock, data) -> bool:
    """Whether the POST carries a value for a locked setting that differs from the saved one.

    Browsers send nothing for disabled fields, so only a forged request gets here.
    """
    for name in lock.names & settings_form.fields.keys():
        key = settings_form.add_prefix(name)
        if key not in data:
            continue
        field = settings_form.fields[name]
        sent = field.widget.value_from_datadict(data, settings_form.files, key)
        if str(field.to_python(sent)) != str(field.to_python(settings_form.initial.get(name))):
            return True
    return False


def _manage_url(component) -> str | None:
    name = component.manifest.admin_url_name
    if not name:
        return None
    return reverse(name, kwargs={"space_id": component.space_id, "component_id": component.pk})


@require_POST
@space_admin_required
def component_publish(request, space, component_id):
    component = _component(space, component_id)
    publish = request.POST.get("publish") == "1"
    services.do_set_component_published(component=component, user=request.user, published=publish)
    messages.success(
        request, _("The component is published.") if publish else _("The component is unpublished.")
    )
    return redirect("backoffice:space", space_id=space.pk)


@require_POST
@space_admin_required
def component_move(request, space, component_id):
    component = _component(space, component_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    do_move(
        item=component,
        siblings=space.components.all(),
        user=request.user,
        direction=direction,
        action="component.move",
        space=space,
    )
    return redirect("backoffice:space", space_id=space.pk)


@require_POST
@space_admin_required
def component_delete(request, space, component_id):
    component = _component(space, component_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=component.name,
            consequence=_(
                "Everything in it is deleted for good, including what participants wrote: "
                "proposals, comments, answers, votes."
            ),
            back_url=reverse("backoffice:space", kwargs={"space_id": space.pk}),
            context={"space": space},
        )
    services.do_delete_component(component=component, user=request.user)
    messages.success(request, _("The component is deleted."))
    return redirect("backoffice:space", space_id=space.pk)
