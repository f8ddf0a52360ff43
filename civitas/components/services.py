"""Component actions; each writes one action-log entry in the same transaction."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from civitas.actionlog.services import log_action, snapshot
from civitas.components.models import Component


@transaction.atomic
def do_add_component(*, space, user, manifest, name: str) -> Component:
    position = (space.components.aggregate(top=Max("position"))["top"] or -1) + 1
    component = Component.objects.create(
        space=space,
        manifest_name=manifest.name,
        name=name,
        position=position,
        settings=manifest.settings.defaults(),
    )
    if manifest.on_create:
        manifest.on_create(component)
    log_action(
        organization=space.organization,
        user=user,
        action="component.create",
        target=component,
        space=space,
        after=snapshot(component),
    )
    return component


class SettingsLocked(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def settings_lock(component):
    """The component's settings that cannot change now, from its manifest, or None."""
    hook = component.manifest.settings_lock if component.manifest else None
    return hook(component) if hook else None


def locked_changes(component, settings: dict) -> list[str]:
    """The locked settings that ``settings`` would change."""
    lock = settings_lock(component)
    if lock is None:
        return []
    current = component.current_settings()
    return sorted(name for name in lock.names if name in settings and settings[name] != current.get(name))


@transaction.atomic
def do_configure_component(*, component, user, name: str, settings: dict, phase_settings: dict) -> None:
    """Save settings already validated against the manifest's schemas.

    Raises SettingsLocked, changing nothing, when a setting the manifest locks would change.
    """
    if locked_changes(component, settings):
        raise SettingsLocked(settings_lock(component).reason)
    before = snapshot(Component.objects.get(pk=component.pk))
    component.name = name
    component.settings = settings
    component.phase_settings = phase_settings
    component.save(update_fields=["name", "settings", "phase_settings", "updated_at"])
    log_action(
        organization=component.space.organization,
        user=user,
        action="component.configure",
        target=component,
        space=component.space,
        before=before,
        after=snapshot(component),
    )


@transaction.atomic
def do_set_component_published(*, component, user, published: bool) -> None:
    before = {"published": component.is_published}
    component.published_at = (component.published_at or timezone.now()) if published else None
    component.save(update_fields=["published_at", "updated_at"])
    log_action(
        organization=component.space.organization,
        user=user,
        action="component.publish" if published else "component.unpublish",
        target=component,
        space=component.space,
        before=before,
        after={"published": published},
    )


@transaction.atomic
def do_delete_component(*, component, user) -> None:
    log_action(
        organization=component.space.organization,
        user=user,
        action="component.delete",
        target=component,
        space=component.space,
        before=snapshot(component),
    )
    component.delete()


@transaction.atomic
def do_save_resource(*, form, user, component, action: str):
    """Save a component's resource from an admin form (e.g. a page's text), logged."""
    before = snapshot(form.instance) if form.instance.pk else None
    resource = form.save()
    log_action(
        organization=component.space.organization,
        user=user,
        action=action,
        target=resource,
        space=component.space,
        before=before,
        after=snapshot(resource),
    )
    return resource
