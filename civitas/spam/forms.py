from django import forms

from civitas.spam.models import SpamSettings


class SpamSettingsForm(forms.ModelForm):
    class Meta:
        model = SpamSettings
        fields = ["report_threshold", "block_threshold", "blocking_enabled"]
        widgets = {
            "report_threshold": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "1"}),
            "block_threshold": forms.NumberInput(attrs={"step": "0.01", "min": "0.01", "max": "1"}),
        }
