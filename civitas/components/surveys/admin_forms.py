from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.forms import ReceiptModeFormMixin
from civitas.components.surveys.models import (
    CHOICE_TYPES,
    MATRIX_TYPES,
    OPTION_TYPES,
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
        help_text=_("e.g. “Other (please specify)”; leave empty for none. Choice questions only."),
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

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
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

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
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
