from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.debates.models import Debate
from civitas.editor.widgets import RichTextWidget


class ParticipantDebateForm(forms.ModelForm):
    class Meta:
        model = Debate
        fields = ["title", "description"]
        widgets = {"description": RichTextWidget(attrs={"rows": 8})}

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
            "description": RichTextWidget(attrs={"rows": 8}, uploads=True),
            "instructions": RichTextWidget(attrs={"rows": 4}, uploads=True),
        }


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(widget=RichTextWidget(attrs={"rows": 10}, uploads=True))
