from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Once a day, in a digest")
    WEEKLY = "weekly", _("Once a week, in a digest")
    NEVER = "never", _("Never")


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_frequency = models.CharField(
        _("e-mail me about notifications"),
        max_length=20,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.email_frequency}"


class Follow(models.Model):
    """Someone follows a space (and later a proposal, a debate…) to hear about it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("user", "content_type", "object_id", name="follow_once")]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model} {self.object_id}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # One event may be delivered more than once if a worker dies mid-task: the unique
    # event id makes the second delivery a no-op.
    event_id = models.UUIDField()
    kind = models.CharField(max_length=50)
    params = models.JSONField(default=dict)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint("user", "event_id", name="notification_delivered_once")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["emailed_at", "user"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user}"

    @property
    def text(self) -> str:
        from civitas.notifications.kinds import render

        return render(self.kind, self.params)
