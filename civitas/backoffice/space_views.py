"""Back-office pages for spaces, their phases and the people who hold roles in them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civitas.backoffice.decorators import backoffice_access_required, space_admin_required
from civitas.backoffice.forms import CopySpaceForm, NewSpaceForm, PhaseForm, RoleForm, SpaceForm
from civitas.core.confirmation import confirm_deletion, deletion_confirmed
from civitas.spaces import access, services
from civitas.spaces.blueprints import BLUEPRINTS, planned_components
from civitas.spaces.models import Space, SpaceRole


def spaces_administered_by(request):
    spaces = Space.objects.filter(organization=request.organization).select_related("active_phase")
    if access.is_organization_admin_of(request.user, request.organization.pk):
        return spaces
    return spaces.filter(pk__in=access.administered_space_ids(request.user))


@backoffice_access_required
def space_list(request):
    spaces = spaces_administered_by(request).order_by("position", "pk")
    can_create = request.user.has_perm("spaces.create_space", request.organization)
    return render(request, "backoffice/spaces/list.html", {"spaces": spaces, "can_create": can_create})


@backoffice_access_required
def space_create(request, kind):
    if kind not in Space.Kind.values:
        raise PermissionDenied
    if not request.user.has_perm("spaces.create_space", request.organization):
        raise PermissionDenied
    form = NewSpaceForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        organization=request.organization,
        kind=kind,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name not in ("blueprint",)}
        blueprint = form.cleaned_data.get("blueprint") if kind == Space.Kind.PROCESS else None
        space = services.do_create_space(
            organization=request.organization,
            user=request.user,
            kind=kind,
            blueprint=blueprint or None,
            **data,
        )
        messages.success(request, _("The space is created as a draft. Publish it when it is ready."))
        return redirect("backoffice:space", space_id=space.pk)
    if kind == Space.Kind.ASSEMBLY:
        del form.fields["blueprint"]
    blueprints = (
        [(blueprint, planned_components(blueprint)) for blueprint in BLUEPRINTS.values()]
        if kind == Space.Kind.PROCESS
        else []
    )
    return render(
        request,
        "backoffice/spaces/form.html",
        {"form": form, "kind": kind, "creating": True, "blueprints": blueprints},
    )


@space_admin_required
def space_dashboard(request, space):
    context = {
        "space": space,
        "phases": list(space.phases.all()),
        "components": list(space.components.all()),
        "roles": list(space.roles.select_related("user")),
    }
    return render(request, "backoffice/spaces/dashboard.html", context)


@space_admin_required
def space_edit(request, space):
    form = SpaceForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=space,
        organization=request.organization,
        kind=space.kind,
    )
    if request.method == "POST" and form.is_valid():
        services.do_update_space(space=space, user=request.user, form=form)
        messages.success(request, _("The space is saved."))
        return redirect("backoffice:space", space_id=space.pk)
    return render(request, "backoffice/spaces/form.html", {"form": form, "space": space, "kind": space.kind})


@require_POST
@space_admin_required
def space_publish(request, space):
    publish = request.POST.get("publish") == "1"
    services.do_set_published(space=space, user=request.user, published=publish)
    messages.success(request, _("The space is published.") if publish else _("The space is back to draft."))
    return redirect("backoffice:space", space_id=space.pk)


@space_admin_required
def space_copy(request, space):
    """Ask what the copy is called and how far its dates move, saying what is not copied; then copy."""
    if not request.user.has_perm("spaces.copy_space", space):
        raise PermissionDenied
    form = CopySpaceForm(
        request.POST if request.method == "POST" else None,
        initial={"title": _("Copy of %(title)s") % {"title": space.title}, "shift_days": 0},
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.do_copy_space(
                space=space,
                user=request.user,
                title=form.cleaned_data["title"],
                shift_days=form.cleaned_data["shift_days"],
            )
        except ValueError:
            form.add_error("shift_days", _("Shifted this far, some dates would leave the calendar."))
        else:
            messages.success(request, _("The copy is created as a draft. Check it, then publish it."))
            return redirect("backoffice:space", space_id=copy.pk)
    context = {
        "space": space,
        "form": form,
        "phase_count": space.phases.count(),
        "component_count": space.components.count(),
    }
    return render(request, "backoffice/spaces/copy.html", context)


@require_POST
@space_admin_required
def space_move(request, space):
    if not request.user.has_perm("spaces.create_space", request.organization):
        raise PermissionDenied  # the order of all spaces is the organization's business
    direction = -1 if request.POST.get("direction") == "up" else 1
    siblings = Space.objects.filter(organization=request.organization)
    services.do_move(
        item=space,
        siblings=siblings,
        user=request.user,
        direction=direction,
        action="space.move",
        space=space,
    )
    return redirect("backoffice:spaces")


@space_admin_required
def phase_create(request, space):
    return _phase_form(request, space, PhaseForm(request.POST if request.method == "POST" else None))


@space_admin_required
def phase_edit(request, space, phase_id):
    phase = get_object_or_404(space.phases, pk=phase_id)
    return _phase_form(
        request, space, PhaseForm(request.POST if request.method == "POST" else None, instance=phase)
    )


def _phase_form(request, space, form):
    if request.method == "POST" and form.is_valid():
        services.do_save_phase(space=space, user=request.user, form=form)
        messages.success(request, _("The phase is saved."))
        return redirect("backoffice:space", space_id=space.pk)
    return render(request, "backoffice/spaces/phase_form.html", {"form": form, "space": space})


@require_POST
@space_admin_required
def phase_activate(request, space, phase_id):
    phase = get_object_or_404(space.phases, pk=phase_id)
    services.do_activate_phase(space=space, phase=phase, user=request.user)
    messages.success(request, _("“%(phase)s” is now the current phase.") % {"phase": phase.title})
    return redirect("backoffice:space", space_id=space.pk)


@require_POST
@space_admin_required
def phase_move(request, space, phase_id):
    phase = get_object_or_404(space.phases, pk=phase_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.do_move(
        item=phase,
        siblings=space.phases.all(),
        user=request.user,
        direction=direction,
        action="phase.move",
        space=space,
    )
    return redirect("backoffice:space", space_id=space.pk)


@require_POST
@space_admin_required
def phase_delete(request, space, phase_id):
    phase = get_object_or_404(space.phases, pk=phase_id)
    if not deletion_confirmed(request):
        return confirm_deletion(
            request,
            name=phase.title,
            consequence=_("The phase and its settings are deleted; the components stay."),
            back_url=reverse("backoffice:space", kwargs={"space_id": space.pk}),
            context={"space": space},
        )
    services.do_delete_phase(phase=phase, user=request.user)
    messages.success(request, _("The phase is deleted."))
    return redirect("backoffice:space", space_id=space.pk)


@space_admin_required
def role_list(request, space):
    form = RoleForm(request.POST if request.method == "POST" else None, organization=request.organization)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.do_grant_role(
            space=space,
            user=request.user,
            person=data["person"],
            role=data["role"],
            title=data["title"],
            is_public=data["is_public"],
        )
        messages.success(request, _("The role is given."))
        return redirect("backoffice:space_roles", space_id=space.pk)
    roles = space.roles.select_related("user").order_by("position", "pk")
    return render(request, "backoffice/spaces/roles.html", {"space": space, "roles": roles, "form": form})


@require_POST
@space_admin_required
def role_revoke(request, space, role_id):
    granted = get_object_or_404(SpaceRole, space=space, pk=role_id)
    services.do_revoke_role(granted=granted, user=request.user)
    messages.success(request, _("The role is removed."))
    return redirect("backoffice:space_roles", space_id=space.pk)


@require_POST
@space_admin_required
def role_move(request, space, role_id):
    granted = get_object_or_404(SpaceRole, space=space, pk=role_id)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.do_move(
        item=granted,
        siblings=space.roles.all(),
        user=request.user,
        direction=direction,
        action="role.move",
        space=space,
    )
    return redirect("backoffice:space_roles", space_id=space.pk)
