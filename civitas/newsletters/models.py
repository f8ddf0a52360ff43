from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import sanitize_html
from civitas.organizations.models import Organization


class NewsletterConsent(models.Model):
    """A participant's opt-in to the organization's newsletter, off until they tick it.

    ``consented_at`` is the moment of the opt-in in force (kept as the proof of consent),
    empty when the person does not consent; ``withdrawn_at`` the last withdrawal.
    Hard bounces are counted here: past the limit, the address they were for
    (``suppressed_email``) gets no newsletter until the person changes address.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsletter_consent"
    )
    consented_at = models.DateTimeField(_("consented on"), null=True, blank=True)
    consent_source = models.CharField(max_length=20, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    hard_bounces = models.PositiveIntegerField(default=0)
    suppressed_email = models.EmailField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["consented_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}: {'yes' if self.consented_at else 'no'}"


class Audience(models.TextChoices):
    ALL = "all", _("Every participant who accepts the newsletter")
    FOLLOWERS = "followers", _("Followers of the chosen spaces")
    VERIFIED = "verified", _("Verified residents")
    PARTICIPANTS = "participants", _("Participants of the chosen spaces")


class Newsletter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Being queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    audience = models.CharField(
        _("recipients"), max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    spaces = models.ManyToManyField("spaces.Space", blank=True, related_name="+", verbose_name=_("spaces"))
    handler = models.CharField(_("verification"), max_length=30, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    send_requested_at = models.DateTimeField(_("sending asked on"), null=True, blank=True)
    queued_count = models.PositiveIntegerField(_("deliveries queued"), default=0)
    finished_at = models.DateTimeField(_("sending finished on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def handler_label(self) -> str:
        from civitas.authorizations.handlers import HANDLERS

        return str(HANDLERS.get(self.handler, self.handler))


class Delivery(models.Model):
    """One newsletter to one person: queued, then sent, failed, bounced or skipped."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SKIPPED = "skipped", _("Skipped: unsubscribed")

    newsletter = models.ForeignKey(Newsletter, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The address at queueing time: a bounce names it, whatever the account says later.
    email = models.EmailField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(max_length=300, blank=True)
    bounce = models.CharField(max_length=4, blank=True)  # "hard" or "soft"
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("newsletter", "user", name="one_delivery_per_person")]
        indexes = [models.Index(fields=["newsletter", "status", "id"]), models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.newsletter_id} → {self.user_id}: {self.status}"
