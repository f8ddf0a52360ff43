from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.debates.models import Debate


class ParticipantDebateForm(forms.ModelForm):
    class Meta:
        model = Debate
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 10:
            raise forms.ValidationError(_("Give the debate a title of at least 10 characters."))
        return title


class OfficialDebateForm(forms.ModelForm):
    class Meta:
        model = Debate
        fields = ["title", "description", "instructions"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "instructions": forms.Textarea(attrs={"rows": 4}),
        }


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}))
