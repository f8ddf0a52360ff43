"""A majority-judgment vote: its candidates, who voted, and the anonymous ballots.

One ``Election`` per component. Voting stores two rows in one transaction (see
:mod:`civitas.ballotbox`): a ``Participation`` ("this account voted", unique per
account, which is what makes one ballot per account) and an anonymous ``Ballot``
(the grades, the day, the receipt hash; no account, no time). Closing reshuffles,
tallies, seals and freezes the ballots like a consultation's answers.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.models import AnonymousRecord, ParticipationRecord, SealedTarget
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
            "closed_on": self.frozen_at.date().isoformat() if self.frozen_at else None,
        }

    def anonymous_records(self):
        return self.ballots.all()


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
