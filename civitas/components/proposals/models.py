from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civitas.components.models import Component
from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import AltTextField, ReencodedImageField
from civitas.maps.models import Coordinates
from civitas.search.text import fold


class ProposalQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)

    def visible(self):
        """What the public sees: published and not hidden by moderation."""
        return self.filter(published_at__isnull=False, hidden_at__isnull=True)


class Proposal(Coordinates, models.Model):
    class State(models.TextChoices):
        NOT_ANSWERED = "not_answered", _("Not answered")
        EVALUATING = "evaluating", _("Being evaluated")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        # Closed by an admin's synthesis: the proposal lives on in the ones it links to.
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")

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
    image_alt = AltTextField()
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

    @property
    def coauthors(self) -> list:
        """The accepted co-authors, in the order they were invited.

        Lists load them for a whole page at once (``queries.with_coauthors``); a single
        proposal reads them once and keeps them.
        """
        accepted = getattr(self, "accepted_coauthorships", None)
        if accepted is None:
            accepted = list(
                self.coauthorships.filter(state="accepted")
                .select_related("user")
                .order_by("invited_at", "pk")
            )
            self.accepted_coauthorships = accepted
        return [coauthorship.user for coauthorship in accepted]

    def accepts_supports(self) -> bool:
        return self.state not in CLOSED_STATES

    @property
    def is_closed_by_synthesis(self) -> bool:
        return self.state in (self.State.MERGED, self.State.SPLIT)


# States in which a proposal no longer counts as open: left out of the default list.
CLOSED_STATES = (Proposal.State.WITHDRAWN, Proposal.State.MERGED, Proposal.State.SPLIT)


class ProposalLink(models.Model):
    """Where a proposal came from or went, kept both ways: read from the source it says
    "merged into / split into / imported to", from the target "comes from".

    ``component`` is the target's: it makes importing the same proposal twice into one
    component impossible even when two admins import at once, and saving a link marks
    that component's cached pages stale (components.freshness).
    """

    class Kind(models.TextChoices):
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")
        IMPORTED = "imported", _("imported")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    source = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="links_in")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint("source", "target", name="proposal_link_once"),
            models.UniqueConstraint(
                "source",
                "component",
                condition=models.Q(kind="imported"),
                name="proposal_imported_once_per_component",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


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


class Coauthorship(models.Model):
    """A participant the author invited to sign the proposal with them.

    Rows are never deleted when an invitation is declined, a co-author removed or one
    leaves: the state says what happened, and inviting the person again reuses the row.
    The component is kept beside the proposal so that any change bumps the component's
    content version (see ``components.freshness``) and no cached page shows stale names.
    """

    class State(models.TextChoices):
        INVITED = "invited", pgettext_lazy("co-authorship", "Invited")
        ACCEPTED = "accepted", pgettext_lazy("co-authorship", "Co-author")
        DECLINED = "declined", pgettext_lazy("co-authorship", "Declined")
        REMOVED = "removed", pgettext_lazy("co-authorship", "Removed by the author")
        LEFT = "left", pgettext_lazy("co-authorship", "Left")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="coauthorships")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_coauthorships"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.INVITED)
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [models.UniqueConstraint("proposal", "user", name="coauthor_a_proposal_once")]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id} ({self.state})"


class CollaborativeDraftQuerySet(models.QuerySet):
    def listed(self):
        """What the drafts list shows the public: not hidden by moderation."""
        return self.filter(hidden_at__isnull=True)


class CollaborativeDraft(models.Model):
    """A text several participants write together before it becomes a proposal."""

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("collaborative draft", "Open")
        PUBLISHED = "published", pgettext_lazy("collaborative draft", "Published as a proposal")
        WITHDRAWN = "withdrawn", pgettext_lazy("collaborative draft", "Withdrawn")

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="collaborative_drafts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="collaborative_drafts"
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(pgettext_lazy("collaborative draft", "text"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="source_drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    comment_count = models.PositiveIntegerField(default=0)

    objects = CollaborativeDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("collaborative draft")
        verbose_name_plural = _("collaborative drafts")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["component", "state", "updated_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}drafts/{self.pk}/"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class DraftCollaborator(models.Model):
    """Someone who asked to write a draft with its authors; an author once accepted."""

    class State(models.TextChoices):
        REQUESTED = "requested", pgettext_lazy("draft collaborator", "Asked to join")
        ACCEPTED = "accepted", pgettext_lazy("draft collaborator", "Author")
        REFUSED = "refused", pgettext_lazy("draft collaborator", "Refused")

    draft = models.ForeignKey(CollaborativeDraft, on_delete=models.CASCADE, related_name="collaborators")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_requests"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.REQUESTED)
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [models.UniqueConstraint("draft", "user", name="join_a_draft_once")]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user_id} → draft {self.draft_id} ({self.state})"
