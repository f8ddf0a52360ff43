"""Budgets, their projects, the voters' draft selections, and the ballots of the vote.

While a voter edits their selection it is an ``Order`` of theirs (it names them: they are
editing it). Confirming is final: in one transaction the order is deleted, a
``BudgetParticipation`` records that the account voted (no time at all), and the ballot
is stored encrypted with the vote's key by the ballot box (:mod:`civitas.ballotbox`).
Closing opens the encrypted ballots into ``BudgetBallot`` records — anonymous, with a
fresh random id, the day only and the receipt hash — written in random order, then
tallies, seals and freezes them. The published file and ``python -m civitas.recount``
prove the results from the ballots alone.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
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
from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import AltTextField, ReencodedImageField
from civitas.maps.models import Coordinates


class Budget(SealedTarget):
    """One envelope of money voted on separately, e.g. one per district."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="budgets")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    total = models.PositiveBigIntegerField(_("amount (€)"), validators=[MinValueValidator(1)])
    position = models.PositiveIntegerField(_("position"), default=0)
    district = models.CharField(
        _("district"),
        max_length=100,
        blank=True,
        help_text=_(
            "Leave empty to open this budget to every participant. Otherwise only residents whose "
            "verification (census or letter code) places them in this district vote in it."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A vote: by default a receipt proves that the ballot is counted, never what it says.
    receipt_mode = receipt_mode_field(ReceiptMode.INCLUSION)

    sealing_kind = "budget"

    class Meta:
        ordering = ["position", "pk"]

    def closes_with(self) -> list[int]:
        # The budgets of a component close together (services.do_close_vote).
        return list(Budget.objects.filter(component_id=self.component_id).values_list("pk", flat=True))

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    @property
    def organization_id(self) -> int:
        return self.component.space.organization_id

    def sealing_definition(self) -> dict:
        return {
            "budget": self.total,
            "rule": self.component.current_settings()["winner_rule"],
            # Titles make the published file readable on its own; the tally uses ids and costs.
            "projects": [
                {"id": str(pk), "cost": amount, "title": title}
                for pk, amount, title in self.projects.order_by("pk").values_list("pk", "amount", "title")
            ],
        }

    def sealing_about(self) -> dict:
        return {
            "title": f"{self.component.name} — {self.title}",
            "space": self.component.space.title,
            "organization": self.component.space.organization.name,
            "closed_on": self.closed_on(),
        }

    def anonymous_records(self):
        return self.ballots.all()

    def payload_size_bound(self, project_ids=None) -> int:
        """Every project chosen (see crypto.padded_size); ``project_ids``: all of this
        budget's, for a caller that has read them."""
        from civitas.sealing.canonical import canonical_json

        if project_ids is None:
            project_ids = self.projects.values_list("pk", flat=True)
        every = [str(pk) for pk in project_ids]
        return len(canonical_json({"projects": every}).encode())


class Project(Coordinates, models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    amount = models.PositiveBigIntegerField(_("cost (€)"), validators=[MinValueValidator(1)])
    image = ReencodedImageField(
        _("image"), upload_to="budgets", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = AltTextField()
    address = models.CharField(_("address"), max_length=300, blank=True)
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="budget_projects", verbose_name=_("linked proposals")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.budget.get_absolute_url()}projects/{self.pk}/"


class Order(models.Model):
    """A voter's draft selection in one budget, never a vote: confirming deletes it."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="orders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="budget_orders")
    projects = models.ManyToManyField(Project, through="OrderLine", related_name="orders")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("budget", "user", name="budget_order_once_per_voter")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.budget_id}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("order", "project", name="budget_order_line_once")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.project_id}"


class BudgetParticipation(ParticipationRecord):
    """That an account voted in a budget: never what it chose, nor when (not even the day).

    Its ballot's day is inside the encrypted ballot and, after closing, in the anonymous
    record: a day here would pair the two on a day with a single voter.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="participations")

    target_field = "budget"

    class Meta:
        constraints = [models.UniqueConstraint("budget", "user", name="budget_participation_once")]

    def __str__(self) -> str:
        return f"{self.user_id} voted in {self.budget_id}"


class BudgetBallot(AnonymousRecord):
    """One ballot opened at closing, linked to nobody: ``{"projects": ["12", "17"]}``."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")

    target_field = "budget"

    class Meta(AnonymousRecord.Meta):
        pass
