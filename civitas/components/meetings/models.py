from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import AltTextField, ReencodedImageField
from civitas.maps.models import Coordinates


class MeetingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def visible(self):
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)


class Meeting(Coordinates, models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("format"), max_length=20, choices=Kind.choices, default=Kind.IN_PERSON)
    address = models.CharField(_("address"), max_length=300, blank=True)
    location_hints = models.CharField(
        _("how to find the room"), max_length=300, blank=True, help_text=_("e.g. “Second floor, room B”.")
    )
    online_url = models.URLField(_("address of the online meeting"), max_length=500, blank=True)
    start_time = models.DateTimeField(_("starts at"))
    end_time = models.DateTimeField(_("ends at"))
    agenda = models.TextField(_("agenda"), blank=True)
    image = ReencodedImageField(
        _("image"), upload_to="meetings", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = AltTextField()
    registrations_enabled = models.BooleanField(_("registration required"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), default=0, help_text=_("0 means no limit. When full, people join a waiting list.")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The closing report, public once closed_at is set.
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendee_count = models.PositiveIntegerField(_("number of attendees"), null=True, blank=True)
    attending_organizations = models.TextField(_("organizations present"), blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal",
        blank=True,
        related_name="meetings",
        verbose_name=_("proposals that came out of the meeting"),
    )
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start_time", "pk"]
        indexes = [models.Index(fields=["component", "start_time"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gte=models.F("start_time")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        self.agenda = sanitize_html(self.agenda)
        self.minutes = sanitize_html(self.minutes)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_past(self) -> bool:
        return self.end_time < timezone.now()

    @property
    def is_in_person(self) -> bool:
        return self.kind in (self.Kind.IN_PERSON, self.Kind.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.kind in (self.Kind.ONLINE, self.Kind.HYBRID)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    # Shown at the door; unique within the meeting, unguessable enough not to be borrowed.
    code = models.CharField(max_length=12)
    status = models.CharField(max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                "meeting", "user", condition=~Q(status="cancelled"), name="one_live_registration_per_person"
            ),
            models.UniqueConstraint("meeting", "code", name="registration_code_unique_per_meeting"),
        ]
        indexes = [models.Index(fields=["meeting", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.meeting_id} ({self.status})"
