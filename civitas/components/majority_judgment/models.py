"""A majority-judgment vote: its candidates, who voted, and the anonymous ballots.

One ``Election`` per component. Voting stores two rows in one transaction (see
:mod:`civitas.ballotbox`): a ``Participation`` ("this account voted", unique per
account, which is what makes one ballot per account) and an anonymous ``Ballot``
(the grades, the day, the receipt hash; no account, no time). Closing reshuffles,
tallies, seals and freezes the ballots like a consultation's answers.

Paper ballots carry a printed serial number; each is keyed by two different people into
``PaperKeying`` rows of a ``PaperBatch`` (one ballot box). A batch whose keyings all
agree is counted: its ballots become anonymous ``Ballot`` rows (channel "paper"), their
serials ``CountedSerial`` rows, and the keyings are deleted. ``GradeCount`` keeps the
merit profiles up to date as ballots are stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.models import (
    AnonymousRecord,
    ParticipationRecord,
    ReceiptMode,
    SealedTarget,
    receipt_mode_field,
)
from civitas.components.models import Component
from civitas.core.richtext import sanitize_html

# Highest first, as the ballot shows them (the same as civitas.voting.majority_judgment).
DEFAULT_GRADES = ["Excellent", "Très bien", "Bien", "Assez bien", "Passable", "Insuffisant", "À rejeter"]
MIN_GRADES, MAX_GRADES = 3, 10


def validate_grades(value) -> None:
    if not isinstance(value, list) or not all(isinstance(name, str) and name.strip() for name in value):
        raise ValidationError(_("Give one grade name per line."))
    if not MIN_GRADES <= len(value) <= MAX_GRADES:
        raise ValidationError(
            _("Give between %(minimum)s and %(maximum)s grades.")
            % {"minimum": MIN_GRADES, "maximum": MAX_GRADES}
        )
    if len({name.strip().casefold() for name in value}) != len(value):
        raise ValidationError(_("Two grades have the same name."))


def default_grades() -> list[str]:
    return list(DEFAULT_GRADES)


class Election(SealedTarget):
    component = models.OneToOneField(Component, on_delete=models.CASCADE, related_name="election")
    question = models.CharField(_("question"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    grades = models.JSONField(_("grades"), default=default_grades, validators=[validate_grades])
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    # A vote: by default a receipt proves that the ballot is counted, never what it says.
    receipt_mode = receipt_mode_field(ReceiptMode.INCLUSION)

    sealing_kind = "majority_judgment"

    def __str__(self) -> str:
        return self.question or str(self.component)

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    @property
    def organization_id(self) -> int:
        return self.component.space.organization_id

    def grade_choices(self) -> list[tuple[int, str]]:
        """(grade number, name), highest first: number 0 is the lowest grade."""
        size = len(self.grades)
        return [(size - 1 - index, name) for index, name in enumerate(self.grades)]

    def grade_name(self, grade: int | None) -> str:
        return "" if grade is None else self.grades[len(self.grades) - 1 - grade]

    def sealing_definition(self) -> dict:
        return {
            "grades": list(self.grades),
            "candidates": [
                {"id": str(candidate.pk), "title": candidate.title}
                for candidate in self.candidates.order_by("pk")
            ],
        }

    def sealing_about(self) -> dict:
        return {
            "title": f"{self.component.name} — {self.question}" if self.question else self.component.name,
            "space": self.component.space.title,
            "organization": self.component.space.organization.name,
            "closed_on": self.closed_on(),
        }

    def anonymous_records(self):
        return self.ballots.all()

    def payload_size_bound(self) -> int:
        """Every candidate given the grade with the longest number (see crypto.padded_size)."""
        return self.size_bound_for(self.candidates.values_list("pk", flat=True))

    def size_bound_for(self, candidate_ids) -> int:
        """``payload_size_bound`` from the candidates' ids, for a caller that has them."""
        from civitas.sealing.canonical import canonical_json

        widest = len(str(max(len(self.grades) - 1, 0)))
        grades = {str(pk): 10**widest - 1 for pk in candidate_ids}
        return len(canonical_json({"grades": grades}).encode())


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    proposal = models.ForeignKey(
        "proposals.Proposal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="majority_judgment_candidacies",
        verbose_name=_("proposal"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)


class Participation(ParticipationRecord):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="participations")

    target_field = "election"

    class Meta:
        constraints = [models.UniqueConstraint("election", "user", name="mj_one_ballot_per_account")]

    def __str__(self) -> str:
        return f"{self.user_id} voted in {self.election_id}"


class Ballot(AnonymousRecord):
    """``{"grades": {"<candidate id>": grade}}``, 0 the lowest grade; linked to nobody."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")

    target_field = "election"

    class Meta(AnonymousRecord.Meta):
        pass


class GradeCount(models.Model):
    """How many ballots gave ``grade`` to ``candidate``: the live merit profiles.

    Updated in the transaction that stores each ballot, so that counting never reads the
    ballots; :mod:`civitas.components.majority_judgment.counting` recounts the ballots to
    check it, and closing replaces it by the sealed tally if they ever differ.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="grade_counts")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="grade_counts")
    grade = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint("candidate", "grade", name="mj_one_count_per_candidate_and_grade")
        ]
        indexes = [models.Index(fields=["election", "candidate", "grade"])]

    def __str__(self) -> str:
        return f"{self.candidate_id}:{self.grade}={self.count}"


# --- Paper ballots, keyed twice ------------------------------------------------------------


class PaperPrintRun(models.Model):
    """Paper ballots printed with the serial numbers ``first`` to ``first + count - 1``."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="print_runs")
    first = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first"]

    def __str__(self) -> str:
        return f"{self.first}+{self.count}"


class PaperBatch(models.Model):
    """The paper ballots of one ballot box, keyed twice then counted as a whole."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="paper_batches")
    label = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Ballot box, town hall”"))
    expected_count = models.PositiveIntegerField(
        _("number of ballots in the box"),
        help_text=_("As counted when the box was opened: the batch counts only when as many are keyed."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_ballots = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("batches of paper ballots")

    def __str__(self) -> str:
        return self.label


class PaperKeying(models.Model):
    """One paper ballot keyed by one person; deleted once its batch is counted.

    ``payload`` is the ballot's payload (``{"grades": {...}}``). Counting turns the agreed
    keyings into anonymous ballots and deletes them, so that nothing links a serial
    number, which may have been noted when the ballot was handed out, to its grades.
    """

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="keyings")
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(_("serial number"), max_length=20)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["serial", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "keyed_by", "serial"], name="mj_key_a_ballot_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.serial


class CountedSerial(models.Model):
    """A paper ballot that has been counted: its serial number cannot count again."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="counted_serials")
    serial = models.CharField(max_length=20)
    # A batch is never deleted on its own (no action does it), only with its whole vote,
    # which takes its counted serials too.
    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="counted_serials")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "serial"], name="mj_a_paper_ballot_counts_once")
        ]

    def __str__(self) -> str:
        return self.serial
