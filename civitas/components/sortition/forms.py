from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.sortition.models import Panel


class VolunteerForm(forms.Form):
    """The registration questions: contact details, one answer per feature, consent."""

    name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)

    def __init__(self, *args, features=(), paper=False, **kwargs):
        super().__init__(*args, **kwargs)
        if paper:
            self.fields = {
                "form_number": forms.CharField(label=_("Number printed on the form"), max_length=40),
                **self.fields,
            }
        for feature in features:
            self.fields[f"feature_{feature.pk}"] = forms.ChoiceField(
                label=feature.name,
                choices=[("", "—")] + [(str(v.pk), v.label) for v in feature.values.all()],
            )
        self.fields["consent"] = forms.BooleanField(
            label=(
                _("The volunteer signed the consent on the form")
                if paper
                else _(
                    "I agree to be drawn by lot for this panel. My answers are used only for the draw "
                    "and seen only by the organisers; I can withdraw until the draw."
                )
            ),
            required=True,
        )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = Panel
        fields = ["panel_size", "alternates", "method"]
        widgets = {"method": forms.RadioSelect}

    def clean_panel_size(self):
        size = self.cleaned_data["panel_size"]
        if size < 1:
            raise forms.ValidationError(_("The panel needs at least one seat."))
        return size


class FeatureForm(forms.Form):
    name = forms.CharField(label=_("Feature"), max_length=100, help_text=_("e.g. “Age”"))
    values = forms.CharField(
        label=_("Values, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Optionally followed by the share of the population in percent, e.g. “16–24: 14”. "
            "With shares, the quotas are set around them."
        ),
    )
    tolerance = forms.FloatField(
        label=_("Tolerance around the shares (percentage points)"), min_value=0, max_value=50, initial=2
    )


class SharesForm(forms.Form):
    tolerance = forms.FloatField(
        label=_("Tolerance around the shares (percentage points)"), min_value=0, max_value=50, initial=2
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


class DrawForm(forms.Form):
    seed = forms.CharField(
        label=_("Seed"),
        max_length=500,
        help_text=_("The numbers obtained in public at the draw, e.g. the dice rolled: “3 6 1 4 4 2 5 1”."),
    )
    seed_source = forms.CharField(
        label=_("Where the seed comes from"),
        max_length=500,
        help_text=_("e.g. “Ten dice rolled at the public meeting of 12 March, in front of witnesses”."),
    )


class ProposalDrawForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the draw"), max_length=200, help_text=_("e.g. “Proposals for the 12 May assembly”")
    )
    source = forms.ChoiceField(label=_("Proposals component"))
    count = forms.IntegerField(label=_("Number of proposals to draw"), min_value=1)

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(str(c.pk), c.name) for c in sources]
