"""Petitions, their signatures (pseudonymous, no account link), paper batches and sealed lists."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.components.models import Component
from civitas.core.richtext import sanitize_html

COUNTER_SHARDS = 16


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("petition status", "draft")
    SUBMITTED = "submitted", pgettext_lazy("petition status", "awaiting review")
    PUBLISHED = "published", pgettext_lazy("petition status", "published")
    DECLINED = "declined", pgettext_lazy("petition status", "declined")


class PublicState(models.TextChoices):
    """What visitors see and filter on, derived from the status, the day and the answer."""

    OPEN = "open", pgettext_lazy("petition state", "open")
    THRESHOLD_REACHED = "threshold_reached", pgettext_lazy("petition state", "threshold reached")
    ANSWERED = "answered", pgettext_lazy("petition state", "answered")
    CLOSED = "closed", pgettext_lazy("petition state", "closed")
    DECLINED = "declined", pgettext_lazy("petition state", "declined")


def today() -> datetime.date:
    return timezone.localdate()


class PetitionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status__in=(Status.PUBLISHED, Status.DECLINED))

    def in_state(self, state: str, day: datetime.date):
        published = Q(status=Status.PUBLISHED)
        unanswered = Q(answered_at__isnull=True)
        running = Q(deadline__gte=day)
        conditions = {
            PublicState.OPEN: published & unanswered & running & Q(threshold_reached_on__isnull=True),
            PublicState.THRESHOLD_REACHED: published & unanswered & Q(threshold_reached_on__isnull=False),
            PublicState.ANSWERED: published & Q(answered_at__isnull=False),
            PublicState.CLOSED: published & unanswered & ~running & Q(threshold_reached_on__isnull=True),
            PublicState.DECLINED: Q(status=Status.DECLINED),
        }
        return self.filter(conditions[state])


class Petition(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="petitions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="petitions")
    # Random, never shown as such: it enters every signer's pseudonym, so that the
    # pseudonyms of two petitions are unrelated whatever their numbers.
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # The last day on which it can be signed (days only: signatures carry no time).
    deadline = models.DateField(_("last day of signing"), null=True, blank=True)
    # Whose subject makes one person (an identity source of civitas.authorizations.identity).
    identity_handler = models.CharField(
        _("identity required to sign"), max_length=40, default="franceconnect"
    )
    declined_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Thresholds copied from the component's settings at publication: the goal does not
    # move while people sign.
    answer_threshold = models.PositiveIntegerField(default=0)
    debate_threshold = models.PositiveIntegerField(default=0)
    threshold_reached_on = models.DateField(null=True, blank=True)
    answer = models.TextField(_("official answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["component", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.declined_reason = sanitize_html(self.declined_reason) if self.declined_reason else ""
        self.answer = sanitize_html(self.answer) if self.answer else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    def public_state(self, day: datetime.date | None = None) -> str:
        day = day or today()
        if self.status == Status.DECLINED:
            return PublicState.DECLINED
        if self.answered_at is not None:
            return PublicState.ANSWERED
        if self.threshold_reached_on is not None:
            return PublicState.THRESHOLD_REACHED
        return PublicState.OPEN if self.deadline and self.deadline >= day else PublicState.CLOSED

    def public_state_label(self) -> str:
        return PublicState(self.public_state()).label

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.DECLINED)

    def is_signing_open(self, day: datetime.date | None = None) -> bool:
        day = day or today()
        return self.status == Status.PUBLISHED and self.deadline is not None and day <= self.deadline

    def counts(self) -> dict[str, int]:
        """Online and paper signatures from the counter shards: 16 rows, whatever the number signed."""
        totals = self.counters.aggregate(online=Sum("online"), paper=Sum("paper"))
        online, paper = totals["online"] or 0, totals["paper"] or 0
        return {"online": online, "paper": paper, "total": online + paper}


class SignatureCounter(models.Model):
    """One shard of a petition's count: signers update one of 16 rows at random, so that
    40 people signing at once do not queue on a single row lock."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="counters")
    shard = models.PositiveSmallIntegerField()
    online = models.IntegerField(default=0)
    paper = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "shard"], name="one_counter_per_shard")]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.shard}"


class Promoter(models.Model):
    """A co-promoter the author invited; the petition goes to review once every one accepted."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="promoters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["petition", "user"], name="promote_a_petition_once")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.petition_id}"


class Milestone(models.Model):
    """A threshold a petition reached, shown publicly with its day."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("The institution must answer")
        DEBATE = "debate", _("A public debate is due")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    threshold = models.PositiveIntegerField()
    reached_on = models.DateField()

    class Meta:
        ordering = ["threshold"]
        constraints = [models.UniqueConstraint(fields=["petition", "kind"], name="reach_a_milestone_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.threshold}"


class Signature(models.Model):
    """One person's signature. Nothing here names the person or their account: the
    pseudonym is a keyed hash of the identity provider's subject and the petition."""

    class Channel(models.TextChoices):
        ONLINE = "online", pgettext_lazy("signature channel", "online")
        PAPER = "paper", pgettext_lazy("signature channel", "paper")

    id = models.BigAutoField(primary_key=True)
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    pseudonym = models.UUIDField()
    day = models.DateField()
    channel = models.CharField(max_length=6, choices=Channel.choices, default=Channel.ONLINE)
    receipt_hash = models.CharField(max_length=64, blank=True)
    # Whether this signature is counted in the public aggregates (SignatureAggregate): kept
    # so that a withdrawal takes it out again. The birth year and département themselves are
    # never on the row: beside an identity provider's kept birth data they would name the
    # signer (an outside tester joined the two tables on a copy of the database).
    shares_aggregates = models.BooleanField(default=False)
    # The same for one person online and on paper (pseudonyms.person_pseudonym); empty when
    # the provider gave no full identity to match a sheet with. Never published.
    person = models.UUIDField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "pseudonym"], name="one_signature_per_person"),
            models.UniqueConstraint(
                fields=["petition", "person"], name="one_signature_per_person_any_channel"
            ),
        ]

    def __str__(self) -> str:
        return str(self.pseudonym)


class SignatureAggregate(models.Model):
    """How many signers of a petition were born in a year and a département, for the public
    figures; counted apart from the signatures, so that no row pairs a signature with them.
    Only online signers who agreed are counted (nobody asks a paper signer).

    Each bucket is split into shards like the counters: signers born the same year in the
    same département (many, for a popular petition) would otherwise all wait for one row's
    lock, each until the one before has committed. Readers sum the shards."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="aggregates")
    birth_year = models.PositiveSmallIntegerField(default=0)  # 0: not given
    departement = models.CharField(max_length=3, blank=True)  # empty: abroad or not given
    shard = models.PositiveSmallIntegerField(default=0)
    signatures = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "birth_year", "departement", "shard"],
                name="one_aggregate_shard_per_year_and_departement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.birth_year} {self.departement} ({self.signatures})"


class PaperBatch(models.Model):
    """A bundle of paper signature sheets, keyed twice by two different people."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="paper_batches")
    label = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Sheets from the town hall”"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_signatures = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label


class PaperKeying(models.Model):
    """One signature line keyed by one person; deleted once the batch is counted."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="keyings")
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    line = models.CharField(_("sheet and line"), max_length=20)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["line", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "keyed_by", "line"], name="key_a_line_once_per_person")
        ]

    def __str__(self) -> str:
        return self.line


class SealedList(models.Model):
    """A sealed snapshot of the signature list, offered for download and recount."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="sealed_lists")
    sealed_on = models.DateField()
    final = models.BooleanField(default=False)
    count = models.PositiveIntegerField()
    online = models.PositiveIntegerField()
    paper = models.PositiveIntegerField()
    seal = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sealed_on} {self.seal[:12]}"
