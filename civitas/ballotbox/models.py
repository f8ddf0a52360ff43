"""Abstract models for anonymous participation; see the package docstring."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.sealing.canonical import make_record
from civitas.sealing.published import INCLUSION, REVEAL

CHANNEL_CHOICES = [("online", _("online")), ("paper", _("paper")), ("post", _("post"))]


class ReceiptMode(models.TextChoices):
    """What a receipt code proves once the sealed file is published."""

    REVEAL = REVEAL, _("The receipt leads to the answer itself (consultation)")
    INCLUSION = INCLUSION, _("The receipt proves only that the ballot is counted (vote)")


def receipt_mode_field(default: str) -> models.CharField:
    """The ``receipt_mode`` field; a concrete target may redeclare it with its own default."""
    return models.CharField(
        _("receipts"),
        max_length=10,
        choices=ReceiptMode.choices,
        default=default,
        help_text=_(
            "Chosen before the first answer or ballot, fixed afterwards. A receipt that leads to "
            "the record shows anyone the receipt holder hands it to what they said: fine for a "
            "consultation, not for a vote where someone could be pressed to prove their choice."
        ),
    )


class KeyMode(models.TextChoices):
    PLATFORM = "platform", _("Platform key")
    TRUSTEES = "trustees", _("Trustee keys")


def today() -> datetime.date:
    return timezone.localdate()


class SealedTarget(models.Model):
    """A survey or a ballot whose records are frozen, tallied and sealed at closing."""

    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True, editable=False)
    seal = models.CharField(_("seal"), max_length=64, blank=True, editable=False)
    tally = models.JSONField(_("tally"), null=True, blank=True, editable=False)
    # The definition as it stood at closing: what the published file's header carries.
    sealed_definition = models.JSONField(null=True, blank=True, editable=False)
    # The published file's whole header as sealed at closing (definition, about with the
    # closing day, receipt mode, text paths); null for a target sealed in format version 1,
    # whose seal does not cover its header.
    sealed_header = models.JSONField(null=True, blank=True, editable=False)
    receipt_mode = receipt_mode_field(ReceiptMode.REVEAL)
    # Set just before the whole target is deleted (see ballotbox.services.discard_before_delete):
    # only then may a frozen target's records be deleted, and never changed.
    discarded_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Who can open the encrypted ballots at closing (see civitas.ballotbox.keys).
    key_mode = models.CharField(
        _("who holds the counting key"), max_length=10, choices=KeyMode.choices, default=KeyMode.PLATFORM
    )
    public_key = models.CharField(max_length=64, blank=True, editable=False)  # hex, X25519
    # Platform mode: with the installation's ballot secret, derives the private key.
    # Erased at closing, so the key can never be derived again.
    key_salt = models.CharField(max_length=64, blank=True, editable=False)
    # Trustee mode: [{"name": ..., "commitment": sha256 hex of their share}], never the shares.
    trustees = models.JSONField(default=list, blank=True, editable=False)

    sealing_kind: str = ""

    class Meta:
        abstract = True

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def sealing_definition(self) -> dict:
        raise NotImplementedError

    def sealing_about(self) -> dict:
        """Descriptive header fields of the published file (sealed with the rest)."""
        return {}

    def sealing_text_paths(self, definition: dict) -> list[list[str]]:
        """Where free texts sit in a payload (see :mod:`civitas.sealing.seal`); none by default."""
        return []

    def hidden_text_paths(self) -> dict[str, list[tuple[str, ...]]]:
        """Free texts published as their redaction marker: record id -> paths. None by default."""
        return {}

    def closed_on(self) -> str | None:
        """The closing day in the same calendar as the records' ``day`` (local date)."""
        return timezone.localdate(self.frozen_at).isoformat() if self.frozen_at else None

    @property
    def published_receipt_mode(self) -> str:
        """The receipt mode the published file has (or will have, while open)."""
        if self.sealed_header is not None:
            return self.sealed_header.get("receipt_mode", ReceiptMode.REVEAL)
        return ReceiptMode.REVEAL if self.frozen_at else self.receipt_mode

    @property
    def grouped_seal(self) -> str:
        """The seal in groups of four characters, for people to compare with a recount."""
        from civitas.sealing.seal import group_seal

        return group_seal(self.seal)

    def anonymous_records(self) -> models.QuerySet:
        raise NotImplementedError

    @property
    def ballot_ref(self) -> str:
        """This vote's name inside its ciphertexts and trustee keys, e.g. ``surveys.survey:12``."""
        return f"{self._meta.label_lower}:{self.pk}"

    def envelopes(self) -> models.QuerySet:
        return Envelope.objects.filter(target=self.ballot_ref)

    def ballot_count(self) -> int:
        """Records cast so far: encrypted while open, opened once closed."""
        if self.frozen_at is not None:
            return self.anonymous_records().count()
        return self.envelopes().count() + self.anonymous_records().count()

    def payload_size_bound(self) -> int | None:
        """Bytes the canonical JSON of any accepted payload stays under (see crypto.padded_size).

        Each kind gives its own from its definition (questions, candidates, projects); None
        falls back to powers of two, whose sizes tell something about the content.
        """
        return None

    def has_ballots(self) -> bool:
        return self.envelopes().exists() or self.anonymous_records().exists()

    def closes_with(self) -> list[int]:
        """The ids of the votes closed together with this one (itself included): one closing
        of any of them is a closing of all (a component's budgets close together)."""
        return [self.pk]


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


class Envelope(models.Model):
    """One encrypted record as it was cast: unreadable until the vote's key opens it.

    It is stored in the transaction that records "this account took part"; only the
    ciphertext and its SHA-256 fingerprint are here, never the day, the channel or the
    receipt in clear, so sitting next to the participation row reveals nothing.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    target = models.CharField(max_length=100)  # SealedTarget.ballot_ref
    ciphertext = models.BinaryField()
    fingerprint = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        # A vote's envelopes in fingerprint order, as sealing and the published file list
        # them, a chunk at a time: one range of this index per chunk (the shared table
        # holds every vote's envelopes). It serves "the envelopes of this vote" too.
        indexes = [models.Index(fields=["target", "fingerprint"], name="envelope_target_fingerprint")]

    def __str__(self) -> str:
        return f"{self.target} {self.fingerprint[:12]}"


class CountedReceipt(models.Model):
    """A receipt of a vote whose receipts prove counting only (inclusion mode), kept apart.

    Written at closing, in ascending order, with nothing that points to a record: kept on
    the record, a receipt a voter is pressed to hand over would lead whoever holds the
    database to their ballot, which inclusion mode promises it never does.
    """

    target = models.CharField(max_length=100)  # SealedTarget.ballot_ref
    receipt_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["target", "receipt_hash"]
        constraints = [
            models.UniqueConstraint(fields=["target", "receipt_hash"], name="counted_receipt_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target} {self.receipt_hash[:12]}"


class ClosingJob(models.Model):
    """A closing handed to the task queue, followed by the admin's page (see :mod:`background`).

    One unfinished job per vote at a time. ``runner`` names the process that took it
    (``host:pid``), so that a page can tell a closing that still runs from one whose
    process died (then the closing's transaction was rolled back and nothing was closed).
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, related_name="+")
    target_label = models.CharField(max_length=100)  # the vote's model, as closers.register_closer names it
    target_id = models.PositiveBigIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    ballots = models.PositiveIntegerField(default=0)  # encrypted ballots to open, when asked
    language = models.CharField(
        max_length=10, blank=True
    )  # of the page that asked: what went wrong is told in it
    started_at = models.DateTimeField(null=True, blank=True)
    runner = models.CharField(max_length=200, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_label", "target_id"],
                condition=models.Q(finished_at__isnull=True),
                name="one_unfinished_closing_per_vote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_label} {self.target_id} ({self.requested_at:%Y-%m-%d %H:%M})"
