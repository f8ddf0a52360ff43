"""A citizen panel drawn by lot: its features and quotas, the pool, the lottery and the draw."""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.sortition.draw import rule_draw_at

# Volunteer codes are the pseudonyms printed in the public lottery file: short, unambiguous.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Panel(models.Model):
    class State(models.TextChoices):
        SETUP = "setup", _("preparation")
        COMPUTING = "computing", _("lottery being computed")
        COMPUTED = "computed", _("lottery computed")
        PUBLISHED = "published", _("lottery published")
        DRAWN = "drawn", _("drawn")

    class Method(models.TextChoices):
        LEXIMIN = "leximin", _("LEXIMIN: the fairest lottery (maximises the smallest chances)")
        UNIFORM = "uniform", _("quick: uniform over a sample of panels meeting the quotas (large pools)")

    component = models.OneToOneField(Component, on_delete=models.CASCADE, related_name="sortition_panel")
    panel_size = models.PositiveIntegerField(_("panel size"), default=20)
    alternates = models.PositiveIntegerField(_("number of alternates"), default=5)
    method = models.CharField(_("selection method"), max_length=10, choices=Method.choices, default="leximin")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SETUP)
    # The computation, run by the task queue.
    computation_token = models.CharField(max_length=32, blank=True)
    progress = models.FloatField(default=0)
    problems = models.JSONField(default=list, blank=True)  # why the quotas cannot be met
    lottery = models.JSONField(null=True, blank=True)  # the document; public once published
    lottery_hash = models.CharField(max_length=64, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    computation_seconds = models.FloatField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Publications cancelled because the pool changed: kept public, for transparency.
    cancelled_publications = models.JSONField(default=list, blank=True)
    # The draw. Where the seed comes from is fixed at publication, in the published file
    # (``seed_rule``); ``seed_source`` repeats its description for the open data.
    seed = models.CharField(_("seed"), max_length=500, blank=True)
    seed_source = models.CharField(_("where the seed comes from"), max_length=500, blank=True)
    # Commit–reveal: the secrets revealed at the draw, in the file's order (public).
    seed_reveals = models.JSONField(default=list, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_panel_number = models.PositiveIntegerField(null=True, blank=True)
    selected_codes = models.JSONField(default=list, blank=True)
    alternate_codes = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.component.name

    @property
    def seed_rule(self) -> dict | None:
        """Where the seed comes from, as the published file states it (None before publication)."""
        if self.state not in (self.State.PUBLISHED, self.State.DRAWN):
            return None
        return (self.lottery or {}).get("seed")

    @property
    def seed_known_at(self) -> datetime | None:
        return rule_draw_at(self.seed_rule) if self.seed_rule else None


class Feature(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(_("feature"), max_length=100, help_text=_("e.g. “Age”"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "name"], name="sortition_feature_name_once")]

    def __str__(self) -> str:
        return self.name


class FeatureValue(models.Model):
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="values")
    label = models.CharField(_("value"), max_length=100)
    position = models.PositiveIntegerField(default=0)
    minimum = models.PositiveIntegerField(_("minimum on the panel"), default=0)
    maximum = models.PositiveIntegerField(_("maximum on the panel"), default=0)
    population_share = models.FloatField(_("share of the population (%)"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["feature", "label"], name="sortition_value_once")]

    def __str__(self) -> str:
        return f"{self.feature.name}: {self.label}"


def new_volunteer_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))


class Volunteer(models.Model):
    class Source(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "paper", _("paper form")
        IMPORT = "import", _("file import")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="volunteers")
    code = models.CharField(_("code"), max_length=12, default=new_volunteer_code)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ONLINE)
    # Feature id → value id, both as strings (JSON keys).
    answers = models.JSONField(default=dict)
    consent_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "code"], name="sortition_code_once"),
            models.UniqueConstraint(
                fields=["panel", "user"],
                condition=models.Q(user__isnull=False, withdrawn_at__isnull=True),
                name="sortition_one_active_registration_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PaperKeying(models.Model):
    """One paper registration form keyed by one person; two identical keyings register it."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="keyings")
    form_number = models.CharField(_("form number"), max_length=40)
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    payload = models.JSONField(default=dict)
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "keyed_by", "form_number"], name="sortition_key_a_form_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.form_number


class ProposalDraw(models.Model):
    """N proposals drawn at random from a proposals component, with the same public-seed mechanism.

    The list of candidates (ids and titles) is published with its hash, and where the seed
    will come from, when the draw is created; the seed entered later picks the proposals,
    reproducibly.
    """

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="proposal_draws")
    source = models.ForeignKey(
        Component, on_delete=models.CASCADE, related_name="+", verbose_name=_("proposals component")
    )
    title = models.CharField(_("title"), max_length=200)
    count = models.PositiveIntegerField(_("number of proposals to draw"))
    candidates = models.JSONField()  # the published list document
    candidates_hash = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    seed = models.CharField(_("seed"), max_length=500, blank=True)
    seed_source = models.CharField(_("where the seed comes from"), max_length=500, blank=True)
    seed_reveals = models.JSONField(default=list, blank=True)  # commit–reveal: the secrets, in order
    drawn_at = models.DateTimeField(null=True, blank=True)
    chosen = models.JSONField(default=list, blank=True)  # proposal ids, in drawn order

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def seed_rule(self) -> dict | None:
        """None for lists published before seed rules existed: those cannot be drawn any more."""
        return self.candidates.get("seed")

    @property
    def seed_known_at(self) -> datetime | None:
        return rule_draw_at(self.seed_rule) if self.seed_rule else None
