from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from civitas.components.sortition import services
from civitas.components.sortition.models import Panel
from civitas.sortition.draw import COMMIT_REVEAL, PUBLIC_DRAW


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


class SeedSourceForm(forms.Form):
    """Where the seed will come from, fixed at publication and printed in the published file."""

    seed_kind = forms.ChoiceField(
        label=_("Where the seed will come from"),
        choices=[
            (PUBLIC_DRAW, _("The numbers of a public draw on a stated future date (a national lottery…)")),
            (
                COMMIT_REVEAL,
                _(
                    "Sealed contributions: each contributor gives now the SHA-256 of a secret, "
                    "and reveals the secret at the draw"
                ),
            ),
        ],
        widget=forms.RadioSelect,
        initial=PUBLIC_DRAW,
    )
    seed_description = forms.CharField(
        label=_("Source of the seed"),
        max_length=500,
        required=False,
        help_text=_(
            "For a public draw, which one and its date, e.g. “les numéros du tirage EuroMillions du "
            "vendredi 11 décembre 2026”. For sealed contributions (optional): where they will be revealed."
        ),
    )
    draw_at = forms.DateTimeField(
        label=_("Date and time from which the seed is known"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_(
            "At least one hour from now. The seed cannot be entered before: for a public draw, the time "
            "its results are published; for sealed contributions, the time of the reveal."
        ),
    )
    contributors = forms.CharField(
        label=_("Contributors and their commitments (sealed contributions only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=format_lazy(
            "{} {}",
            _(
                "One per line: the name, a colon, then the SHA-256 of their secret. At least two, "
                "independent of each other (a commissaire de justice, the opposition, a resident…). "
                "Each one makes a secret and its SHA-256 with “python -m civitas.sortition commit”; "
                "one honest contributor is enough to make the seed unpredictable."
            ),
            # A guessable secret (a date, a few dice) is found from its SHA-256 by trying them all.
            _(
                "A secret that can be guessed can be found from its SHA-256: "
                "let the command make a random one."
            ),
        ),
    )

    def clean_contributors(self) -> list[tuple[str, str]]:
        contributors = []
        for line in self.cleaned_data["contributors"].splitlines():
            if not line.strip():
                continue
            name, separator, digest = line.rpartition(":")
            if not separator or not name.strip():
                raise forms.ValidationError(
                    _("“%(line)s”: write the name, a colon, then the commitment."), params={"line": line}
                )
            contributors.append((name.strip(), digest.strip().lower()))
        return contributors

    def clean(self):
        data = super().clean()
        if "seed_kind" not in data or "contributors" not in data:
            return data
        try:
            data["rule"] = services.build_seed_rule(
                kind=data["seed_kind"],
                description=data.get("seed_description", ""),
                draw_at=data.get("draw_at"),
                contributors=data["contributors"] if data["seed_kind"] == COMMIT_REVEAL else [],
            )
        except services.SortitionError as error:
            # Every problem at once, but one message per field (a missing date already has one).
            for field, message in error.errors.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)
        return data


class DrawForm(forms.Form):
    """What is entered at the draw: the announced numbers, or each contributor's revealed secret."""

    def __init__(self, *args, rule: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.contributors = len(rule.get("contributors", []))
        if rule["kind"] == COMMIT_REVEAL:
            for index, contributor in enumerate(rule["contributors"]):
                self.fields[f"reveal_{index}"] = forms.CharField(
                    label=_("Secret revealed by %(name)s") % {"name": contributor["name"]},
                    max_length=500,
                )
        else:
            self.fields["seed"] = forms.CharField(
                label=_("Seed: the numbers of the announced draw"),
                max_length=500,
                help_text=_("As published by the source fixed at publication: “%(source)s”.")
                % {"source": rule["description"]},
            )

    def reveals(self) -> list[str]:
        return [self.cleaned_data[f"reveal_{index}"] for index in range(self.contributors)]


class CancelPublicationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Why the lottery is withdrawn (shown on the public page)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. “The opposition's secret was lost: it could not be revealed.”"),
    )


class ProposalDrawForm(SeedSourceForm):
    title = forms.CharField(
        label=_("Title of the draw"), max_length=200, help_text=_("e.g. “Proposals for the 12 May assembly”")
    )
    source = forms.ChoiceField(label=_("Proposals component"))
    count = forms.IntegerField(label=_("Number of proposals to draw"), min_value=1)
    field_order = ["title", "source", "count"]

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(str(c.pk), c.name) for c in sources]
