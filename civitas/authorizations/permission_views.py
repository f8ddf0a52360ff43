"""Back-office: which verifications each action of a component needs, in every phase or in one."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.authorizations.handlers import HANDLERS
from civitas.authorizations.identity import identity_handlers
from civitas.authorizations.models import ActionRequirement
from civitas.authorizations.requirements import configurable_actions
from civitas.authorizations.services import do_set_requirements
from civitas.components.models import Component
from civitas.organizations.access import login_first
from civitas.spaces.models import Space


class RequirementsForm(forms.Form):
    """One group per action and scope (every phase, then each phase): handlers, minimum age."""

    def __init__(self, *args, component, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        aged = [handler for handler in identity_handlers() if handler in HANDLERS]
        for action in configurable_actions(component):
            scope_groups = []
            for phase in scopes:
                key = f"{action.name}-{phase.pk if phase else 'all'}"
                self.fields[f"{key}-handlers"] = forms.MultipleChoiceField(
                    label=gettext_lazy("Verifications needed"),
                    choices=list(HANDLERS.items()),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
                names = [f"{key}-handlers"]
                if aged:
                    self.fields[f"{key}-age"] = forms.IntegerField(
                        label=gettext_lazy("Minimum age (from the identity's birth date)"),
                        min_value=1,
                        max_value=120,
                        required=False,
                        help_text=", ".join(str(HANDLERS[handler]) for handler in aged),
                    )
                    names.append(f"{key}-age")
                scope_groups.append((phase, key, [self[name] for name in names]))
            self.groups.append((action, scope_groups))
        self._aged = set(aged)
        self._scopes = scopes
        self._component = component

    def clean(self):
        cleaned = super().clean()
        for _action, scope_groups in self.groups:
            for _phase, key, _fields in scope_groups:
                age = cleaned.get(f"{key}-age")
                handlers = set(cleaned.get(f"{key}-handlers") or [])
                if age and not handlers & self._aged:
                    self.add_error(
                        f"{key}-age",
                        _("A minimum age needs a verification that gives a birth date: %(handlers)s.")
                        % {"handlers": ", ".join(str(HANDLERS[handler]) for handler in sorted(self._aged))},
                    )
        return cleaned

    def requirements(self):
        rows = []
        for action, scope_groups in self.groups:
            for phase, key, _fields in scope_groups:
                age = self.cleaned_data.get(f"{key}-age")
                for handler in self.cleaned_data.get(f"{key}-handlers") or []:
                    rows.append(
                        (
                            action.name,
                            phase.pk if phase else None,
                            handler,
                            age if handler in self._aged else None,
                        )
                    )
        return rows


def _initial(component) -> dict:
    initial: dict = {}
    for row in ActionRequirement.objects.filter(component=component):
        key = f"{row.action}-{row.phase_id or 'all'}"
        initial.setdefault(f"{key}-handlers", []).append(row.handler)
        if row.minimum_age:
            initial[f"{key}-age"] = row.minimum_age
    return initial


def component_requirements(request, space_id, component_id):
    # The space admins' guard, without importing the back-office (which sits above this app):
    # 404 outside the organization, 403 without the role.
    if not request.user.is_authenticated:
        return login_first(request)
    space = get_object_or_404(
        Space.objects.select_related("active_phase", "organization"),
        organization=request.organization,
        pk=space_id,
    )
    if not request.user.has_perm("spaces.admin_space", space):
        raise PermissionDenied
    component = get_object_or_404(Component, space=space, pk=component_id)
    if component.manifest is None:
        raise Http404  # its app was removed from the installation
    component.space = space
    scopes = [None, *space.phases.all()]
    form = RequirementsForm(
        request.POST if request.method == "POST" else None,
        component=component,
        scopes=scopes,
        initial=_initial(component),
    )
    if request.method == "POST" and form.is_valid():
        do_set_requirements(component=component, user=request.user, requirements=form.requirements())
        messages.success(request, _("The verifications are saved."))
        return redirect("authorizations_admin:component", space_id=space.pk, component_id=component.pk)
    return render(
        request,
        "authorizations/component_requirements.html",
        {"space": space, "component": component, "form": form},
        status=400 if form.errors else 200,
    )
