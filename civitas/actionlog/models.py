from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization


class ActionLogEntry(models.Model):
    """One change made by someone (or by the platform itself), with what it was before and after."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="action_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_log"
    )
    action = models.CharField(_("action"), max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "-created_at"]),
            models.Index(fields=["space", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
