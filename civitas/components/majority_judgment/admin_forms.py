from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.forms import ReceiptModeFormMixin
from civitas.components.majority_judgment.models import Election, PaperBatch, validate_grades
from civitas.components.majority_judgment.paper import MAX_COPIES
from civitas.editor.widgets import RichTextWidget


class GradesField(forms.CharField):
    """Grade names, one per line, highest first."""

    widget = forms.Textarea(attrs={"rows": 8})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (value or "").splitlines() if line.strip()]

    def validate(self, value):
        validate_grades(value)


class ElectionForm(ReceiptModeFormMixin, forms.ModelForm):
    grades = GradesField(
        label=_("Grades"), help_text=_("One per line, the highest first; between 3 and 10 grades.")
    )

    class Meta:
        model = Election
        fields = ["question", "description", "grades", "opens_at", "closes_at", "receipt_mode"]
        widgets = {
            "description": RichTextWidget(attrs={"rows": 6}, uploads=True),
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, locked_reason: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if locked_reason:
            # Shown and sent as they are; the service refuses changed grades anyway.
            self.fields["grades"].widget.attrs.update({"readonly": True, "aria-readonly": "true"})
            self.fields["grades"].help_text = locked_reason
        # Voters may hold receipts issued under this mode: fixed as the grades are.
        self.lock_receipt_mode(locked_reason)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The vote must close after it opens."))
        return data


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("Option"), max_length=200)


class ImportProposalsForm(forms.Form):
    state = forms.ChoiceField(label=_("Proposals in the state"))

    def __init__(self, *args, **kwargs):
        from civitas.components.proposals.models import Proposal

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = Proposal.State.choices
        self.fields["state"].initial = Proposal.State.ACCEPTED


class PaperBatchForm(forms.ModelForm):
    class Meta:
        model = PaperBatch
        fields = ["label", "expected_count"]

    def clean_expected_count(self):
        count = self.cleaned_data["expected_count"]
        if count < 1:
            raise forms.ValidationError(_("A ballot box holds at least one ballot."))
        return count


class ExpectedCountForm(forms.Form):
    expected_count = forms.IntegerField(label=_("Number of ballots in the box"), min_value=1)


class PrintBallotsForm(forms.Form):
    copies = forms.IntegerField(
        label=_("Number of paper ballots to print"), min_value=1, max_value=MAX_COPIES
    )
