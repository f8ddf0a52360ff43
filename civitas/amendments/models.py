from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.components.models import Component


class AmendmentQuerySet(models.QuerySet):
    def of(self, target):
        content_type = ContentType.objects.get_for_model(type(target), for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=target.pk)

    def public(self):
        """Not hidden by moderation: what statistics count."""
        return self.filter(hidden_at__isnull=True)


class Amendment(models.Model):
    """Someone's proposed title and text for a content they did not write.

    ``base_version`` is the number of the target's version the amender started from
    (civitas.versions): accepting is refused once the target has a newer one, since the
    amendment would silently undo the other change.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting the author's decision")
        ACCEPTED = "accepted", pgettext_lazy("amendment", "Accepted")
        REJECTED = "rejected", pgettext_lazy("amendment", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("amendment", "Withdrawn")

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="amendments")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    amender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="amendments")
    title = models.CharField(_("title"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    base_version = models.PositiveIntegerField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    rejection_reason = models.TextField(_("reason"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The amender's own content born of this amendment once rejected (same model as the target).
    promoted_id = models.PositiveBigIntegerField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AmendmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["content_type", "promoted_id"]),
        ]

    def __str__(self) -> str:
        return str(_("Amendment no. %(number)s") % {"number": self.pk})

    def get_absolute_url(self) -> str:
        return f"/amendments/{self.pk}/"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING

    @property
    def is_promoted(self) -> bool:
        return self.promoted_id is not None


class AmendmentSupport(models.Model):
    """One participant supports one amendment; the unique pair is what stops double counts."""

    amendment = models.ForeignKey(Amendment, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amendment_supports"
    )
    # Carried so that a support bumps the component's content version (components.freshness).
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("amendment", "user", name="amendment_support_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.amendment_id}"
