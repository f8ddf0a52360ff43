from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.forms import ReceiptModeFormMixin
from civitas.components.surveys.models import (
    CHOICE_TYPES,
    MATRIX_TYPES,
    OPTION_TYPES,
    TEXT_TYPES,
    Batch,
    Option,
    Question,
    QuestionType,
    Survey,
)

MAX_OPTIONS = 50
DATETIME = {"type": "datetime-local"}


class SurveyForm(ReceiptModeFormMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = [
            "introduction",
            "opens_at",
            "closes_at",
            "eligible_count",
            "double_entry",
            "receipt_mode",
        ]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "opens_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, receipts_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Respondents hold receipts issued under this mode: it is fixed once answers exist.
        self.lock_receipt_mode(
            _("Fixed: answers have been received with receipts that work this way.")
            if receipts_locked
            else None
        )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must come after the opening date."))
        return cleaned


# The fields that only some types of question use, and those types. The form shows them
# all without JavaScript, each with a hint naming its types; with JavaScript only those of
# the chosen type show (question_form.js). The server keeps a field's value only for the
# types that use it: another type's value is dropped (and the admin told), never saved to
# sit unseen in a question that does not read it.
SCALE_TYPES = {QuestionType.SCALE}
ANSWERED_TYPES = set(QuestionType) - {QuestionType.SECTION}
APPLIES_TO = {
    "mandatory": ANSWERED_TYPES,
    "options_text": OPTION_TYPES,
    "other_option": CHOICE_TYPES,
    "rows_text": MATRIX_TYPES,
    "max_choices": {QuestionType.MULTIPLE},
    "max_length": TEXT_TYPES,
    "scale_min": SCALE_TYPES,
    "scale_max": SCALE_TYPES,
    "scale_min_label": SCALE_TYPES,
    "scale_max_label": SCALE_TYPES,
}


def _type_names(types) -> list[str]:
    return [str(label) for value, label in QuestionType.choices if value in types]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("For a matrix, these are the columns."),
    )
    other_option = forms.CharField(
        label=_("“Other” option asking for a text"),
        required=False,
        max_length=300,
        help_text=_("e.g. “Other (please specify)”; leave empty for none."),
    )
    rows_text = forms.CharField(
        label=_("Matrix rows, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    condition = forms.ChoiceField(label=_("Show this question only if"), required=False, choices=())

    class Meta:
        model = Question
        fields = [
            "type",
            "label",
            "description",
            "mandatory",
            "max_length",
            "max_choices",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"max_length": "", "max_choices": ""}  # the types are said by the hint below

    field_order = [
        "type",
        "label",
        "description",
        "mandatory",
        "options_text",
        "other_option",
        "rows_text",
        "max_choices",
        "max_length",
        "scale_min",
        "scale_max",
        "scale_min_label",
        "scale_max_label",
        "condition",
    ]

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.ignored: list[str] = []  # labels of the fields given a value the type does not use
        for name, types in APPLIES_TO.items():
            field = self.fields[name]
            field.question_types = " ".join(sorted(types))  # read by question_form.js
            others = set(QuestionType) - types
            hint = (
                format_lazy(_("Not for: {types}."), types=", ".join(_type_names(others)))
                if len(others) <= 2
                else format_lazy(_("Only for: {types}."), types=", ".join(_type_names(types)))
            )
            field.help_text = format_lazy("{} {}", field.help_text, hint) if field.help_text else hint
        question = self.instance if self.instance.pk else None
        earlier = survey.ordered_questions().filter(type__in=list(CHOICE_TYPES))
        if question:
            earlier = earlier.filter(position__lt=question.position)
        choices = [("", _("always shown"))]
        for other in earlier:
            for option in other.options.all():
                choices.append(
                    (f"is:{option.pk}", _("“%(q)s” is “%(o)s”") % {"q": other.label, "o": option.label})
                )
                choices.append(
                    (f"not:{option.pk}", _("“%(q)s” is not “%(o)s”") % {"q": other.label, "o": option.label})
                )
        self.fields["condition"].choices = choices
        if question:
            plain = [o.label for o in question.options.all() if not o.free_text]
            other = [o.label for o in question.options.all() if o.free_text]
            self.fields["options_text"].initial = "\n".join(plain)
            self.fields["other_option"].initial = other[0] if other else ""
            self.fields["rows_text"].initial = "\n".join(row.label for row in question.rows.all())
            if question.condition_option_id:
                prefix = "not" if question.condition_negated else "is"
                self.fields["condition"].initial = f"{prefix}:{question.condition_option_id}"

    def _drop_what_the_type_does_not_use(self, cleaned, kind) -> None:
        """Set aside the values of the fields ``kind`` does not use, naming those that held one."""
        for name, types in APPLIES_TO.items():
            if kind in types or name not in cleaned:
                continue
            field = self.fields[name]
            model_field = self._meta.model._meta.get_field(name) if name in self._meta.fields else None
            empty = model_field.get_default() if model_field is not None else ""
            value = cleaned[name]
            if value not in (None, "", False) and value != empty and str(value).strip():
                self.ignored.append(str(field.label))
            cleaned[name] = empty

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        if kind:
            self._drop_what_the_type_does_not_use(cleaned, kind)
        options = _lines(cleaned.get("options_text"))
        rows = _lines(cleaned.get("rows_text"))
        other = (cleaned.get("other_option") or "").strip()
        if kind in OPTION_TYPES:
            total = len(options) + (1 if other and kind in CHOICE_TYPES else 0)
            if total < 2:
                self.add_error("options_text", _("Give at least two options."))
            if total > MAX_OPTIONS:
                self.add_error("options_text", _("At most %(max)s options.") % {"max": MAX_OPTIONS})
            if len(set(options)) != len(options):
                self.add_error("options_text", _("Two options have the same text."))
        if kind in MATRIX_TYPES and not rows:
            self.add_error("rows_text", _("A matrix needs at least one row."))
        if kind == QuestionType.SCALE:
            low, high = cleaned.get("scale_min"), cleaned.get("scale_max")
            if low is not None and high is not None and not (high > low and high - low <= 20):
                self.add_error("scale_max", _("The highest value must exceed the lowest, by 20 at most."))
        if kind == QuestionType.MULTIPLE and cleaned.get("max_choices") == 0:
            self.add_error("max_choices", _("Leave empty for no maximum, or give at least 1."))
        if cleaned.get("max_length") is not None and not 1 <= cleaned["max_length"] <= 20000:
            self.add_error("max_length", _("Between 1 and 20,000 characters."))
        condition = cleaned.get("condition") or ""
        cleaned["condition_option"], cleaned["condition_negated"] = None, False
        if condition:
            prefix, _sep, pk = condition.partition(":")
            cleaned["condition_option"] = Option.objects.filter(question__survey=self.survey, pk=pk).first()
            cleaned["condition_negated"] = prefix == "not"
        cleaned["options"], cleaned["rows"], cleaned["other"] = options, rows, other
        return cleaned


class BatchForm(forms.ModelForm):
    class Meta:
        model = Batch
        fields = ["label", "channel"]


class CsvImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class StaffForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person"))


class PrintForm(forms.Form):
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=2000, initial=50)
