from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, insulting or hateful")
    OFF_TOPIC = "off_topic", _("Off topic")
    OTHER = "other", _("Something else")


class Moderation(models.Model):
    """The moderation record of one reported resource (a proposal, a comment, an account)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="moderations")
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="moderations"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    resource = GenericForeignKey("content_type", "object_id")
    report_count = models.PositiveIntegerField(default=0)
    # The summed weights (``standing``) of the reports no moderator has judged yet; at the
    # organization's threshold the resource is hidden automatically. A decision resets it.
    report_weight = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint("content_type", "object_id", name="one_moderation_per_resource")
        ]
        indexes = [
            models.Index(fields=["organization", "hidden_at"]),
            models.Index(fields=["space", "hidden_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} ({self.report_count})"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not judged yet")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Report(models.Model):
    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="reports")
    # Empty for a report made by the platform itself (the spam scan).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    # The reporter's standing when reporting (see ``standing``), and what moderators made
    # of the report: upheld reports make the next ones weigh more, dismissed ones less.
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["user", "outcome"])]
        constraints = [models.UniqueConstraint("moderation", "user", name="report_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.reason}"


class UserBlock(models.Model):
    """An admin blocked an account. Everything the block changed is recorded so unblocking restores it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    justification = models.TextField(_("justification"))
    previous_name = models.CharField(max_length=150)
    previous_nickname = models.CharField(max_length=30)
    hidden_items = models.JSONField(default=list)  # [[app_label.model, id], …] hidden by this block
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                "user", condition=models.Q(lifted_at__isnull=True), name="one_active_block"
            )
        ]

    def __str__(self) -> str:
        return f"{self.previous_nickname} blocked"
