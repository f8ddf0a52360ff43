from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import ReencodedImageField
from civitas.search.text import fold


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def visible(self):
        """What the public sees: published and not hidden by moderation."""
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)


class Proposal(models.Model):
    class State(models.TextChoices):
        NOT_ANSWERED = "not_answered", _("Not answered")
        EVALUATING = "evaluating", _("Being evaluated")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=150)
    # The title lower-cased and without accents, written by save(): the similar-proposals
    # check compares words in the database, where neither SQLite nor PostgreSQL (without
    # the unaccent extension) can fold accents. Folding may lengthen ("œ" → "oe").
    folded_title = models.CharField(max_length=300, blank=True, editable=False)
    body = models.TextField(_("proposal"))
    image = ReencodedImageField(
        _("image"), upload_to="proposals", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    tags = models.ManyToManyField("spaces.Tag", blank=True, related_name="proposals", verbose_name=_("tags"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.NOT_ANSWERED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    # The official answer: prepared by admins and evaluators, public once published.
    custom_state = models.ForeignKey(
        "CustomState",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custom state"),
    )
    answer_state = models.CharField(_("answer"), max_length=20, choices=State.choices, blank=True)
    answer_custom_state = models.ForeignKey(
        "CustomState",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("custom state shown instead"),
    )
    answer = models.TextField(_("answer text"), blank=True)
    estimated_cost = models.DecimalField(
        _("estimated cost (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    feasibility_notes = models.TextField(_("feasibility notes"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the public sees: copied from the fields above when an admin publishes, so a
    # revision in preparation never shows before it is published.
    published_answer = models.TextField(blank=True)
    published_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    published_feasibility_notes = models.TextField(blank=True)
    answer_published_at = models.DateTimeField(null=True, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="proposals_to_evaluate",
        verbose_name=_("evaluators"),
    )
    # Kept in the row so lists sort and show counts without counting on every request.
    support_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["component", "published_at"]),
            models.Index(fields=["component", "support_count"]),
            models.Index(fields=["component", "state"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.answer = sanitize_html(self.answer)
        self.feasibility_notes = sanitize_html(self.feasibility_notes)
        self.folded_title = fold(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "folded_title"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    def get_support_url(self) -> str:
        # Mirrors urls.py as get_absolute_url does: a list shows twenty support buttons,
        # and resolving each with reverse() was a good part of rendering them.
        return f"{self.get_absolute_url()}support/"

    @property
    def has_unpublished_answer(self) -> bool:
        return self.answered_at is not None and (
            self.answer_published_at is None or self.answer_published_at < self.answered_at
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN


class Support(models.Model):
    """One person supports one proposal. ``counted`` is false until the person reaches the minimum."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    counted = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint("proposal", "user", name="support_once_per_proposal")]
        indexes = [models.Index(fields=["component", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class CustomState(models.Model):
    """A state an organization adds to the usual ones, e.g. "Merged" or "Studied by the council"."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="custom_states")
    name = models.CharField(_("name"), max_length=60)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#5a5a5a",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #RRGGBB."))],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class EvaluationNote(models.Model):
    """A private note on a proposal, for admins and the evaluators assigned to it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.proposal_id}"
