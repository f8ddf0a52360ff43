"""What a component type declares about itself, and the registry of all types."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from civitas.components.schema import SettingsSchema


@dataclass(frozen=True)
class Action:
    """Something participants do in a component, guarded by a permission.

    The permission ``<component type>.<action>`` is granted to people who may take
    part in the space, while the component is published and, if ``phase_setting`` is
    given, while that per-phase setting is on in the active phase.
    """

    name: str
    label: Any
    phase_setting: str | None = None
    # When given, the phase setting must equal this value, or be one of these values
    # if a tuple (for choice settings); otherwise it must simply be on.
    phase_setting_value: Any = None


@dataclass(frozen=True)
class SettingsLock:
    """Settings that cannot change now (e.g. a vote's rules while it runs), and why."""

    names: frozenset[str]
    reason: str


@dataclass(frozen=True)
class ComponentManifest:
    name: str
    verbose_name: Any
    description: Any = ""
    icon: str = "page"
    settings: SettingsSchema = field(default_factory=SettingsSchema)
    phase_settings: SettingsSchema = field(default_factory=SettingsSchema)
    actions: tuple[Action, ...] = ()
    resources: tuple[str, ...] = ()  # model labels, e.g. "pages.Page"
    public_urls: str | None = None  # module with ``urlpatterns``, mounted per component
    admin_urls: str | None = None
    admin_url_name: str | None = None  # the page where admins edit the component's content
    on_create: Callable[[Any], None] | None = None
    # Given the source and its copy (after ``on_create``) when a space is copied: carries over
    # what the admins wrote in the component (a page's text), never what participants did.
    on_copy: Callable[[Any, Any], None] | None = None
    # Hooks, each given one component. What search finds is not a hook: each model a
    # resident can read is registered with ``civitas.search.registry.register_searchable``
    # from the app's ``ready()`` (``civitas/search/tests/test_every_component_is_searchable.py``
    # fails for a type that registers none).
    statistics: Callable[[Any], dict[str, int]] | None = None
    open_data: Callable[[Any], Iterable[tuple[str, list[dict]]]] | None = None
    settings_lock: Callable[[Any], SettingsLock | None] | None = None
    # Given the demo site (civitas.components.demo.DemoSite): adds this type's part of the
    # demo organization (``manage.py seed_demo``), once.
    demo: Callable[[Any], None] | None = None
    # Given the request and one published component of the space being shown: HTML for
    # the space's page (e.g. its latest news), "" for nothing. The space's page has
    # checked that the reader may see the space; the hook shows only what is public there.
    space_section: Callable[[Any, Any], str] | None = None


class ComponentRegistry:
    def __init__(self):
        self._manifests: dict[str, ComponentManifest] = {}

    def register(self, manifest: ComponentManifest) -> ComponentManifest:
        if manifest.name in self._manifests and self._manifests[manifest.name] is not manifest:
            raise ValueError(f"component type {manifest.name!r} is registered twice")
        self._manifests[manifest.name] = manifest
        from civitas.actionlog.registry import register_details
        from civitas.components.rules import register_action_permissions

        register_action_permissions(manifest)
        # A component's logged settings read with their labels in the action log.
        settings = [*manifest.settings, *manifest.phase_settings]
        register_details(
            {setting.name: setting.label for setting in settings if setting.label},
            {setting.name: dict(setting.choices) for setting in settings if setting.choices},
            replace=False,
        )
        register_details({}, {"manifest_name": {manifest.name: manifest.verbose_name}})
        return manifest

    def get(self, name: str) -> ComponentManifest | None:
        return self._manifests.get(name)

    def all(self) -> list[ComponentManifest]:
        return sorted(self._manifests.values(), key=lambda manifest: manifest.name)

    def choices(self) -> list[tuple[str, Any]]:
        return [(manifest.name, manifest.verbose_name) for manifest in self.all()]


registry = ComponentRegistry()
