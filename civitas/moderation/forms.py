from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.moderation.models import Reason


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you report it?"), choices=Reason.choices, widget=forms.RadioSelect
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason given to the author"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BlockForm(forms.Form):
    justification = forms.CharField(
        label=_("Justification"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the person by e-mail with the organization's contact address."),
    )
