from django import forms

from civitas.spam.models import SpamSettings

# Written and read in the admin's language ("0,70" in French, as the page's sentences say
# it): a number input shows the browser's format, which need not be the page's.
DECIMAL = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class SpamSettingsForm(forms.ModelForm):
    class Meta:
        model = SpamSettings
        fields = ["report_threshold", "block_threshold", "blocking_enabled"]
        localized_fields = ["report_threshold", "block_threshold"]
        widgets = {"report_threshold": DECIMAL, "block_threshold": DECIMAL}
