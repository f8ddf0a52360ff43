from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.components.accountability.models import Result, Status, TimelineEntry
from civitas.editor.widgets import RichTextWidget


class ResultForm(forms.ModelForm):
    class Meta:
        model = Result
        fields = [
            "title",
            "description",
            "parent",
            "reference",
            "status",
            "progress",
            "weight",
            "start_date",
            "end_date",
            "themes",
            "position",
        ]
        widgets = {
            "description": RichTextWidget(attrs={"rows": 6}, uploads=True),
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, component, excluded_parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only this component's results, statuses and this space's themes: nothing of another tenant.
        self.fields["parent"].queryset = Result.objects.filter(component=component).exclude(
            pk__in=excluded_parents
        )
        self.fields["status"].queryset = Status.objects.filter(component=component)
        self.fields["themes"].queryset = component.space.organization.tags.all()
        self.fields["themes"].widget = forms.CheckboxSelectMultiple()
        self.component = component

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date is before the start date."))
        reference = cleaned.get("reference")
        if reference:
            clash = Result.objects.filter(component=self.component, reference=reference).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("reference", _("Another result already has this reference."))
        return cleaned


class StatusForm(forms.ModelForm):
    class Meta:
        model = Status
        fields = ["name", "default_progress", "position"]

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.component = component

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Status.objects.filter(component=self.component, name=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A status with this name already exists."))
        return name


class TimelineEntryForm(forms.ModelForm):
    class Meta:
        model = TimelineEntry
        fields = ["date", "title", "description", "status", "progress"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "description": RichTextWidget(attrs={"rows": 3}, uploads=True),
        }

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].queryset = Status.objects.filter(component=component)


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: reference, title (required), parent_reference, description, status, progress, weight, "
            "start_date, end_date (YYYY-MM-DD), themes (separated by |)."
        ),
    )


class WinnersImportForm(forms.Form):
    budgets = forms.ModelChoiceField(queryset=None, label=_("Participatory budget"))

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.components.models import Component

        self.fields["budgets"].queryset = Component.objects.filter(space=space, manifest_name="budgets")


class ProposalsImportForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Accepted proposals")
    )

    def __init__(self, *args, space, component, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.components.accountability.models import Result
        from civitas.components.proposals.models import Proposal

        linked = Result.proposals.through.objects.filter(result__component=component).values("proposal_id")
        self.fields["proposals"].queryset = (
            Proposal.objects.visible()
            .filter(component__space=space, state=Proposal.State.ACCEPTED)
            .exclude(pk__in=linked)
            .order_by("title", "pk")
        )
