from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.richtext import sanitize_html


class DebateQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)


class Debate(models.Model):
    """A question put to discussion; comments take a side (for / against / no position)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="debates")
    # Empty for debates opened by the institution; a participant otherwise.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="debates"
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"))
    instructions = models.TextField(_("how to take part"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DebateQuerySet.as_manager()

    class Meta:
        verbose_name = _("debate")
        verbose_name_plural = _("debates")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["component", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        self.instructions = sanitize_html(self.instructions)
        self.conclusion = sanitize_html(self.conclusion)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_official(self) -> bool:
        return self.author_id is None
