from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization

_probability = [MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))]


class SpamSettings(models.Model):
    """Per-organization thresholds; kept apart from Organization so that the spam app owns them."""

    organization = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="spam_settings")
    report_threshold = models.DecimalField(
        _("report threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.70"),
        validators=_probability,
        help_text=_(
            "Accounts and contributions at or above this spam probability go to the moderation queue."
        ),
    )
    block_threshold = models.DecimalField(
        _("block threshold"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.99"),
        validators=_probability,
        help_text=_("Accounts at or above this spam probability are blocked automatically."),
    )
    blocking_enabled = models.BooleanField(
        _("block automatically"),
        default=True,
        help_text=_("Off: accounts above the block threshold are only reported."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("spam detection settings")

    def __str__(self) -> str:
        return f"{self.organization}: {self.report_threshold}/{self.block_threshold}"

    def clean(self) -> None:
        if (
            self.report_threshold is not None
            and self.block_threshold is not None
            and self.block_threshold < self.report_threshold
        ):
            raise ValidationError(
                {"block_threshold": _("The block threshold cannot be below the report threshold.")}
            )

    @classmethod
    def for_organization(cls, organization) -> "SpamSettings":
        found = cls.objects.filter(organization=organization).first()
        return found or cls(organization=organization)


class AccountScore(models.Model):
    """The last spam probability of an account and what the scan did about it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="spam_score"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    model_version = models.CharField(max_length=80)
    # A hash of everything the score was computed from: unchanged input, no new score.
    fingerprint = models.CharField(max_length=32)
    scanned_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    blocked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organization", "reported_at"]),
            models.Index(fields=["organization", "blocked_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.probability:.3f}"


class ContributionScore(models.Model):
    """The spam probability of a comment or proposal, computed once after it was created."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    probability = models.FloatField()
    model_version = models.CharField(max_length=80)
    held = models.BooleanField(default=False)
    scored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("content_type", "object_id", name="one_spam_score_per_contribution")
        ]
        indexes = [models.Index(fields=["organization", "held", "scored_at"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}/{self.object_id}: {self.probability:.3f}"


class ScanRun(models.Model):
    """One scan of an organization's accounts. The cursor is committed with each batch, so a
    scan that crashed resumes after the last account it finished."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cursor = models.PositiveBigIntegerField(default=0)
    model_version = models.CharField(max_length=80, blank=True)
    examined = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(default=0)
    reported = models.PositiveIntegerField(default=0)
    blocked = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["organization", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.started_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """One daily e-mail per admin: the row is the proof it went out that day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("user", "day", name="one_spam_digest_per_admin_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
