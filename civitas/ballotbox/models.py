"""Abstract models for anonymous participation; see the package docstring."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.sealing.canonical import make_record

CHANNEL_CHOICES = [("online", _("online")), ("paper", _("paper")), ("post", _("post"))]


def today() -> datetime.date:
    return timezone.localdate()


class SealedTarget(models.Model):
    """A survey or a ballot whose records are frozen, tallied and sealed at closing."""

    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    seal = models.CharField(_("seal"), max_length=64, blank=True, editable=False)
    tally = models.JSONField(_("tally"), null=True, blank=True, editable=False)
    # The definition as it stood at closing: what the published file's header carries.
    sealed_definition = models.JSONField(null=True, blank=True, editable=False)
    # Set just before the whole target is deleted (see ballotbox.services.discard_before_delete):
    # only then may a frozen target's records be deleted, and never changed.
    discarded_at = models.DateTimeField(null=True, blank=True, editable=False)

    sealing_kind: str = ""

    class Meta:
        abstract = True

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def sealing_definition(self) -> dict:
        raise NotImplementedError

    def sealing_about(self) -> dict:
        """Descriptive header fields of the published file (not sealed)."""
        return {}

    def anonymous_records(self) -> models.QuerySet:
        raise NotImplementedError


class ParticipationRecord(models.Model):
    """That an account has taken part in a target; never what it said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    # Name of the concrete model's FK to its SealedTarget.
    target_field: str = ""

    class Meta:
        abstract = True


class AnonymousRecord(models.Model):
    """One anonymous answer or ballot, linked to nobody."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    day = models.DateField(_("day"), default=today)
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES, default="online")
    receipt_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    payload = models.JSONField(default=dict)

    # Name of the concrete model's FK to its SealedTarget.
    target_field: str = ""

    class Meta:
        abstract = True
        ordering = ["id"]

    def as_sealed_record(self) -> dict:
        return make_record(
            record_id=self.id,
            day=self.day.isoformat(),
            channel=self.channel,
            payload=self.payload,
            receipt=self.receipt_hash,
        )
