"""Decorators that give component views their space and component, permission checked.

Public views answer 404 for what the visitor may not see (its existence stays hidden);
admin views answer 403 to people of the organization who lack the role.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from civitas.components.models import Component
from civitas.spaces.models import Space


def requirement_flag(component: str = "pk") -> Exists:
    """Whether any verification is required for any action of the component (``component``:
    its id's path from the rows queried). Read with the component as
    ``has_action_requirements``, it spares permission checks reading the requirements when
    there are none (``authorizations.requirements.requirements_for``)."""
    from civitas.authorizations.models import ActionRequirement

    return Exists(ActionRequirement.objects.filter(component=OuterRef(component)))


def with_requirement_flag(components):
    """Components with ``has_action_requirements`` (see :func:`requirement_flag`)."""
    return components.annotate(has_action_requirements=requirement_flag())


def check_visible(request, component) -> None:
    """404 for a component the visitor may not see (its existence stays hidden)."""
    if not request.user.has_perm("components.view_component", component):
        raise Http404


def public_component_view(manifest_name: str, *, related: tuple[str, ...] = ()):
    """``related``: the component's one-to-one resources (its survey, its election) to read
    in the same query."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, space_slug, component_id, *args, **kwargs):
            # One query for all: every public page, cached or not, pays for it.
            component = get_object_or_404(
                with_requirement_flag(Component.objects.select_related("space__active_phase", *related)),
                space__organization=request.organization,
                space__slug=space_slug,
                pk=component_id,
                manifest_name=manifest_name,
            )
            check_visible(request, component)
            return view(request, component.space, component, *args, **kwargs)

        return wrapper

    return decorator


def admin_component_view(manifest_name: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, space_id, component_id, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            space = get_object_or_404(
                Space.objects.select_related("active_phase"), organization=request.organization, pk=space_id
            )
            if not request.user.has_perm("spaces.admin_space", space):
                raise PermissionDenied
            component = get_object_or_404(
                Component, space=space, pk=component_id, manifest_name=manifest_name
            )
            component.space = space
            return view(request, space, component, *args, **kwargs)

        return wrapper

    return decorator
