from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.richtext import sanitize_html


class Page(models.Model):
    """The single rich-text page of a "page" component."""

    component = models.OneToOneField(Component, on_delete=models.CASCADE, related_name="page")
    body = models.TextField(_("text"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.component.name

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)
