"""The demo organization, composed by the components themselves.

``manage.py seed_demo`` creates the organization, its people and its spaces, then hands a
:class:`DemoSite` to the ``demo`` hook of every installed component type (its manifest),
so the core names no component: removing one from ``INSTALLED_APPS`` removes its part of
the demo and nothing else.

A hook adds its component with :meth:`DemoSite.component`, which answers ``None`` when the
space already has one of that type: running the seed again keeps what exists (content, votes,
passwords) and only adds what is missing, e.g. a component installed since.
"""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction

# The demo's spaces, by the part they play (not by component): a participatory budget
# process, a citizen convention process and a neighbourhood assembly.
BUDGET_SPACE = "budget"
CONVENTION_SPACE = "convention"
ASSEMBLY_SPACE = "assembly"

# Where the demo's addresses are on its maps: points in the centre of Angers (Maine-et-Loire),
# around the place du Ralliement. The street names are the demo's own; the points are real
# places of that town, so the map shows streets and buildings, not a field.
DEMO_PLACES = {
    "Rue des Tilleuls": (47.4745, -0.559),
    "Avenue Jean-Jaurès": (47.4662, -0.556),
    "Place du Marché": (47.4713, -0.5518),
    "Parvis de la médiathèque": (47.477, -0.548),
    "Chemin du Stade": (47.464, -0.545),
    "Parc Pasteur": (47.4795, -0.5565),
    "Maison de quartier des Tilleuls, 4 rue des Écoles": (47.473, -0.55),
    "Départ devant l'école Jules-Ferry, rue des Écoles": (47.469, -0.558),
    "Salle polyvalente, 12 place du Marché": (47.4755, -0.5535),
}


def demo_place_data(organization, address: str) -> dict:
    """Form data for ``address``, placed on the map without asking a geocoder when the demo knows it."""
    from civitas.maps.services import checked_place_data

    if address not in DEMO_PLACES:
        return {"address": address}
    return checked_place_data(organization, address, *DEMO_PLACES[address])


@dataclass
class DemoSite:
    organization: Any
    admin: Any  # the organization's admin, who configures, closes and counts
    participant: Any  # the participant whose credentials the seed prints
    residents: list = field(default_factory=list)  # other confirmed accounts, who take part
    spaces: dict = field(default_factory=dict)  # BUDGET_SPACE, CONVENTION_SPACE, ASSEMBLY_SPACE → Space

    @property
    def people(self) -> list:
        return [self.participant, *self.residents]

    def component(
        self,
        space,
        manifest_name: str,
        name: str,
        *,
        settings_values: dict | None = None,
        phase_values: Callable[[Any], dict] | dict | None = None,
    ):
        """Add, configure and publish a component of this type, through the admin's services;
        ``None`` if the space already has one (nothing is changed then).

        ``phase_values`` is a dict for every phase, or a function of the phase.
        """
        from civitas.components.manifest import registry
        from civitas.components.models import Component
        from civitas.components.services import (
            do_add_component,
            do_configure_component,
            do_set_component_published,
        )

        if Component.objects.filter(space=space, manifest_name=manifest_name).exists():
            return None
        manifest = registry.get(manifest_name)
        component = do_add_component(space=space, user=self.admin, manifest=manifest, name=name)
        values_of = phase_values if callable(phase_values) else (lambda phase: phase_values or {})
        phases = list(space.phases.all())
        phase_settings = {str(phase.pk): manifest.phase_settings.clean(values_of(phase)) for phase in phases}
        if not phases:  # an assembly has no phases: its settings are the default ones
            phase_settings = {"default": manifest.phase_settings.clean(values_of(None))}
        do_configure_component(
            component=component,
            user=self.admin,
            name=name,
            settings=manifest.settings.clean(settings_values or {}),
            phase_settings=phase_settings,
        )
        do_set_component_published(component=component, user=self.admin, published=True)
        component.refresh_from_db()
        return component

    def is_active(self, phase) -> bool:
        return phase is not None and phase.pk == phase.space.active_phase_id

    def secret(self, name: str) -> str:
        """A random secret generated once per installation and kept in var/ (e.g. the
        secrets of a commit–reveal draw, revealed by a later run)."""
        path = settings.VAR_DIR / f"demo_{name}_secret"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(16), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()


def run_demo_hooks(site: DemoSite) -> list[str]:
    """Run every installed component type's demo hook, each in its own transaction (a hook
    that fails leaves nothing half-made, and the next run tries it again); the names run."""
    from civitas.components.manifest import registry

    ran = []
    for manifest in registry.all():
        if manifest.demo is None:
            continue
        with transaction.atomic():
            manifest.demo(site)
        ran.append(manifest.name)
    return ran
