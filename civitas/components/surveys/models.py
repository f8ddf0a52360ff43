"""Questionnaires, their anonymous answers, and the paper data-entry workflow.

An online answer writes two rows in one transaction: ``SurveyParticipation`` (this
account has answered; unique per survey) and ``Answer`` (what was answered: random
UUID, day, channel, receipt hash, no account). Paper and postal forms are keyed into
``Keying`` rows of a ``Batch``; a validated batch turns them into ``Answer`` rows and
``UsedSerial`` rows (a serial number counts once), never tied to the keyed rows.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.models import AnonymousRecord, ParticipationRecord, SealedTarget
from civitas.components.models import Component


class QuestionType(models.TextChoices):
    SECTION = "section", _("Section title")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    MATRIX_SINGLE = "matrix_single", _("Matrix, one answer per row")
    MATRIX_MULTIPLE = "matrix_multiple", _("Matrix, several answers per row")
    RANKING = "ranking", _("Ranking")
    SCALE = "scale", _("Numeric scale")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE}
MATRIX_TYPES = {QuestionType.MATRIX_SINGLE, QuestionType.MATRIX_MULTIPLE}
OPTION_TYPES = CHOICE_TYPES | MATRIX_TYPES | {QuestionType.RANKING}
TEXT_TYPES = {QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT}


class Survey(SealedTarget):
    component = models.OneToOneField(Component, on_delete=models.CASCADE, related_name="survey")
    introduction = models.TextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens on"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes on"), null=True, blank=True)
    eligible_count = models.PositiveIntegerField(
        _("number of people who may answer"),
        null=True,
        blank=True,
        help_text=_("Used to show the participation rate."),
    )
    double_entry = models.BooleanField(
        _("double entry of paper forms"),
        default=False,
        help_text=_(
            "A batch counts only once two different people have keyed it and every difference is resolved."
        ),
    )
    serials_issued = models.PositiveIntegerField(default=0, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    data_entry_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("data entry staff")
    )

    sealing_kind = "survey"

    def __str__(self) -> str:
        return self.component.name

    @property
    def organization_id(self) -> int:
        return self.component.space.organization_id

    def is_within_dates(self, now=None) -> bool:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return False
        return not (self.closes_at and now >= self.closes_at)

    def ordered_questions(self):
        return self.questions.prefetch_related("options", "rows").order_by("position", "pk")

    def sealing_definition(self) -> dict:
        from civitas.components.surveys.questionnaire import definition_of

        return definition_of(self)

    def sealing_about(self) -> dict:
        return {
            "title": self.component.name,
            "space": self.component.space.title,
            "organization": self.component.space.organization.name,
            "closed_on": self.closed_on(),
        }

    def sealing_text_paths(self, definition: dict) -> list[list[str]]:
        from civitas.sealing.kinds.survey import text_paths

        return text_paths(definition)

    def hidden_text_paths(self) -> dict[str, list[tuple[str, ...]]]:
        """The texts an admin hid (HiddenText), as paths of the published file's payloads."""
        paths_by_question: dict[str, list[tuple[str, ...]]] = {}
        for path in (self.sealed_header or {}).get("text_paths", []):
            paths_by_question.setdefault(path[0], []).append(tuple(path))
        hidden: dict[str, list[tuple[str, ...]]] = {}
        for answer_id, question_key in self.hidden_texts.values_list("answer_id", "question_key"):
            hidden.setdefault(str(answer_id), []).extend(paths_by_question.get(question_key, []))
        return hidden

    def anonymous_records(self):
        return self.answers.all()

    def payload_size_bound(self) -> int:
        from civitas.components.surveys.questionnaire import questions_for_answering

        return questions_for_answering(self).size_bound


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    label = models.CharField(_("question"), max_length=500)
    description = models.TextField(_("help text"), blank=True, max_length=2000)
    mandatory = models.BooleanField(_("answer required"), default=False)
    max_length = models.PositiveIntegerField(
        _("maximum length, in characters"), null=True, blank=True, help_text=_("Text questions only.")
    )
    max_choices = models.PositiveIntegerField(
        _("maximum number of choices"), null=True, blank=True, help_text=_("Multiple choice only.")
    )
    scale_min = models.IntegerField(_("lowest value"), default=1)
    scale_max = models.IntegerField(_("highest value"), default=5)
    scale_min_label = models.CharField(_("label of the lowest value"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("label of the highest value"), max_length=100, blank=True)
    condition_option = models.ForeignKey(
        "Option",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("show only depending on the answer"),
    )
    condition_negated = models.BooleanField(_("show when that answer is NOT chosen"), default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"q{self.pk}"


class Option(models.Model):
    """An answer option; for matrices, a column."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("option"), max_length=300)
    free_text = models.BooleanField(_("asks for a text (“Other: …”)"), default=False)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"o{self.pk}"


class MatrixRow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(_("row"), max_length=300)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return f"r{self.pk}"


class SurveyParticipation(ParticipationRecord):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")

    target_field = "survey"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="one_answer_per_account")]


class Answer(AnonymousRecord):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="answers")

    target_field = "survey"

    class Meta(AnonymousRecord.Meta):
        indexes = [models.Index(fields=["survey", "id"])]


class HiddenText(models.Model):
    """A free-text answer an admin hid from the public results (abuse, personal data)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="hidden_texts")
    answer_id = models.UUIDField()
    question_key = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "answer_id", "question_key"], name="hide_a_text_once")
        ]

    def __str__(self) -> str:
        return f"{self.answer_id} {self.question_key}"


class PrintRun(models.Model):
    """Serial numbers ``first`` to ``first + count - 1`` printed on paper forms."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="print_runs")
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


class Batch(models.Model):
    """A ballot box or a bundle of postal answers, keyed as a whole."""

    class Channel(models.TextChoices):
        PAPER = "paper", _("paper (ballot box)")
        POST = "post", _("post")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="batches")
    label = models.CharField(_("name"), max_length=200, help_text=_("e.g. “Ballot box, town hall”"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    counted_answers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("batches")

    def __str__(self) -> str:
        return self.label


class Keying(models.Model):
    """One paper form keyed by one person (in double entry, each form is keyed twice)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="keyings")
    keyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    serial = models.CharField(_("serial number"), max_length=20)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["serial", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "keyed_by", "serial"], name="key_a_form_once_per_person")
        ]

    def __str__(self) -> str:
        return self.serial


class UsedSerial(models.Model):
    """A serial number that has been counted: it cannot count again."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="used_serials")
    serial = models.CharField(max_length=20)
    # No service deletes a batch on its own (that would free its serials to count again):
    # a counted batch goes only with its survey, and its used serials with it.
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="used_serials")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "serial"], name="a_serial_counts_once")]

    def __str__(self) -> str:
        return self.serial


class ThemeAnalysis(models.Model):
    """The themes of a closed survey's open answers (see :mod:`civitas.themes`).

    Computed by the task queue from the survey's published answers file with ``seed`` and
    the merges and splits of the edit log; ``result`` is what ``python -m civitas.themes``
    prints for the same file, seed and edits.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for its turn")
        RUNNING = "running", _("being computed")
        DONE = "done", _("computed")
        FAILED = "failed", _("failed")

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="theme_analysis")
    seed = models.PositiveIntegerField(_("seed"))
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.FloatField(default=0)
    # A newer run replaces this token: an older run still going never writes its result.
    token = models.CharField(max_length=32, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.survey} · {self.seed}"


class ThemeEdit(models.Model):
    """One entry of the admins' edit log, applied in order on top of the computed themes."""

    class Kind(models.TextChoices):
        NAME = "name", _("name")
        MERGE = "merge", _("merge")
        SPLIT = "split", _("split")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="theme_edits")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    question_key = models.CharField(max_length=20)
    theme = models.CharField(max_length=200)
    other = models.CharField(max_length=200, blank=True)  # the second theme of a merge
    name = models.CharField(_("name"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.question_key} {self.theme}"

    def as_edit(self) -> dict:
        """The entry as :func:`civitas.themes.analyse` and the published themes file read it."""
        edit = {"kind": self.kind, "question": self.question_key}
        if self.kind == self.Kind.MERGE:
            edit["themes"] = [self.theme, self.other]
        else:
            edit["theme"] = self.theme
        if self.kind == self.Kind.NAME:
            edit["name"] = self.name
        return edit
