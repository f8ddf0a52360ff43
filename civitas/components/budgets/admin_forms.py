from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.ballotbox.forms import ReceiptModeFormMixin
from civitas.components.budgets.models import Budget, Project
from civitas.core.image_forms import ImageAltMixin
from civitas.editor.widgets import RichTextWidget
from civitas.maps.forms import LocatedFormMixin


def _read_only(field: forms.Field, reason: str) -> None:
    """Shown and sent as it is, but not editable; the service refuses a changed value anyway."""
    field.widget.attrs.update({"readonly": True, "aria-readonly": "true"})
    field.help_text = reason


class BudgetForm(ReceiptModeFormMixin, forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["title", "description", "total", "district", "position", "receipt_mode"]
        widgets = {"description": RichTextWidget(attrs={"rows": 5}, uploads=True)}

    def __init__(self, *args, locked_reason: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if locked_reason:
            _read_only(self.fields["total"], locked_reason)
            # Who may vote cannot change once ballots are cast.
            _read_only(self.fields["district"], locked_reason)
        # Voters may hold receipts issued under this mode: fixed as the amount is.
        self.lock_receipt_mode(locked_reason)


class ProjectForm(ImageAltMixin, LocatedFormMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "description", "amount", "image", "image_alt", "address", "position", "proposals"]
        widgets = {"description": RichTextWidget(attrs={"rows": 8}, uploads=True)}

    def __init__(self, *args, budget, locked_reason: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.components.proposals.models import Proposal

        if locked_reason:
            _read_only(self.fields["amount"], locked_reason)
        self.setup_address(budget.component.space.organization)

        # Only proposals of the same space can be linked: nothing from another space or tenant.
        self.fields["proposals"].queryset = Proposal.objects.visible().filter(
            component__space=budget.component.space
        )
        self.fields["proposals"].required = False
        self.fields["proposals"].help_text = _("Proposals of this space the project comes from.")


class ImportProposalsForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label=_("Accepted proposals to turn into projects"),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = queryset
