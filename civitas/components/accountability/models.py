"""The follow-up of what was decided: results (nested), their statuses and timelines."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.richtext import sanitize_html


class Status(models.Model):
    """A stage of delivery, e.g. "Studied" (10 %), "Works started" (50 %), "Delivered" (100 %)."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="result_statuses")
    name = models.CharField(_("name"), max_length=80)
    default_progress = models.PositiveSmallIntegerField(
        _("default progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "default_progress", "pk"]
        constraints = [models.UniqueConstraint("component", "name", name="result_status_name_once")]

    def __str__(self) -> str:
        return self.name


class Result(models.Model):
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="results")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    # An identifier of the admin's own, so that a CSV import updates rather than duplicates.
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.ForeignKey(
        Status,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="results",
        verbose_name=_("status"),
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Leave empty to use the status's default progress. Ignored when the result has sub-results."
        ),
    )
    weight = models.PositiveIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(0)],
        help_text=_("How much this result counts in its parent's progress, when progress is weighted."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    themes = models.ManyToManyField(
        "spaces.Tag", blank=True, related_name="results", verbose_name=_("themes")
    )
    projects = models.ManyToManyField(
        "budgets.Project", blank=True, related_name="results", verbose_name=_("budget projects")
    )
    proposals = models.ManyToManyField(
        "proposals.Proposal", blank=True, related_name="results", verbose_name=_("proposals")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                "component",
                "reference",
                condition=~models.Q(reference=""),
                name="result_reference_once_per_component",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    @property
    def own_progress(self) -> int | None:
        if self.progress is not None:
            return self.progress
        return self.status.default_progress if self.status_id else None


class TimelineEntry(models.Model):
    """Something that happened to a result, on a date: "Tender awarded", "Works started"."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="timeline")
    date = models.DateField(_("date"))
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    status = models.ForeignKey(
        Status, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date}: {self.title}"

    def save(self, *args, **kwargs):
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)
