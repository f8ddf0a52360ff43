from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.manifest import registry
from civitas.spaces.models import Space


class ComponentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Component(models.Model):
    """One participation tool placed in a space, of a registered type."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="components")
    manifest_name = models.CharField(_("type"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveIntegerField(default=0)
    settings = models.JSONField(default=dict, blank=True)
    # {"<phase id>": {...}}; spaces without phases use the "default" key.
    phase_settings = models.JSONField(default=dict, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every change visible on the component's pages: the key of their cache.
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["space", "published_at", "position"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # Mirrors civitas.components.urls.public_patterns.
        return f"/spaces/{self.space.slug}/{self.manifest_name}/{self.pk}/"

    @property
    def manifest(self):
        return registry.get(self.manifest_name)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def organization_id(self) -> int:
        return self.space.organization_id

    def current_settings(self) -> dict:
        return self.manifest.settings.read(self.settings)

    def settings_for_phase(self, phase) -> dict:
        key = str(phase.pk) if phase is not None else "default"
        return self.manifest.phase_settings.read(self.phase_settings.get(key))

    def active_phase_settings(self) -> dict:
        return self.settings_for_phase(self.space.active_phase)
