"""Set up components in tests the way an admin would, through the real services."""

from civitas.components.services import do_configure_component


def configure_component(component, admin, *, settings=None, **phase_values) -> None:
    """Change the component's settings and the settings of its space's current phase."""
    manifest = component.manifest
    cleaned = manifest.settings.clean({**component.current_settings(), **(settings or {})})
    phase = component.space.active_phase
    key = str(phase.pk) if phase else "default"
    phase_settings = manifest.phase_settings.clean({**component.settings_for_phase(phase), **phase_values})
    do_configure_component(
        component=component,
        user=admin,
        name=component.name,
        settings=cleaned,
        phase_settings={**component.phase_settings, key: phase_settings},
    )
    component.refresh_from_db()


def set_vote_rules(component, admin, **settings) -> None:
    """Change a vote's rules as an admin must: voting closed in the phase, then opened again.

    A component's ``settings_lock`` refuses rule changes while voting is open.
    """
    was_open = bool(component.active_phase_settings().get("voting_enabled"))
    configure_component(component, admin, voting_enabled=False)
    configure_component(component, admin, settings=settings)
    if was_open:
        configure_component(component, admin, voting_enabled=True)
