from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from civitas.editor.widgets import RichTextWidget


class AmendmentForm(forms.Form):
    """The amendable fields of one registered model, starting from the words to amend."""

    title = forms.CharField(label=_("title"), max_length=300)
    body = forms.CharField(label=_("text"), widget=RichTextWidget(attrs={"rows": 12}))
    # The target's version the form started from: a newer one means someone changed the
    # text meanwhile, and the amendment is refused rather than written on stale words.
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, entry, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry, self.target = entry, target
        for name in ("title", "body"):
            if name not in entry.fields:
                del self.fields[name]
                continue
            self.fields[name].label = capfirst(entry.label(name))
            maximum = entry.max_length(name)
            if maximum:
                self.fields[name].max_length = maximum
                self.fields[name].widget.attrs["maxlength"] = str(maximum)
        if "body" in self.fields and "body" not in entry.rich_fields:
            self.fields["body"].widget = forms.Textarea(attrs={"rows": 12})

    def clean(self):
        cleaned = super().clean()
        if self.entry.validate and not self.errors:
            for name, message in self.entry.validate(self.target, cleaned).items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    @property
    def proposed(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.entry.fields}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional, shown to everyone who sees the amendment)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
