from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from civitas.components.proposals.models import CustomState, Proposal
from civitas.editor.widgets import RichTextWidget


class AnswerForm(forms.ModelForm):
    publish = forms.BooleanField(
        label=_("Publish the answer now"),
        required=False,
        help_text=_("Otherwise it waits to be published with the others."),
    )

    class Meta:
        model = Proposal
        fields = ["answer_state", "answer_custom_state", "answer", "estimated_cost", "feasibility_notes"]
        widgets = {
            "answer": RichTextWidget(attrs={"rows": 5}, uploads=True),
            "feasibility_notes": RichTextWidget(attrs={"rows": 4}, uploads=True),
        }

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answer_state"].required = True
        self.fields["answer_state"].choices = [
            choice for choice in Proposal.State.choices if choice[0] != Proposal.State.WITHDRAWN
        ]
        self.fields["answer_custom_state"].queryset = component.custom_states.all()
        self.fields["estimated_cost"].min_value = 0

    def clean_estimated_cost(self):
        cost = self.cleaned_data.get("estimated_cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("A cost cannot be negative."))
        return cost

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer_state") in (
            Proposal.State.ACCEPTED,
            Proposal.State.REJECTED,
        ) and not cleaned.get("answer"):
            self.add_error("answer", _("Explain an acceptance or a rejection in a few words."))
        return cleaned


class NoteForm(forms.Form):
    body = forms.CharField(label=_("Private note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class EvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(
        label=_("Evaluators"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = (
            get_user_model()
            .objects.filter(space_roles__space=space, space_roles__role="evaluator")
            .distinct()
        )


class CustomStateForm(forms.ModelForm):
    class Meta:
        model = CustomState
        fields = ["name", "colour"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}
