from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civitas.components.proposals.models import CollaborativeDraft, Proposal
from civitas.core.image_forms import ImageAltMixin
from civitas.core.richtext import plain_text
from civitas.editor.widgets import RichTextWidget
from civitas.maps.forms import LocatedFormMixin
from civitas.spaces.models import Tag


class ProposalForm(ImageAltMixin, LocatedFormMixin, forms.ModelForm):
    tags = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Tag.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Proposal
        fields = ["title", "body", "address", "image", "image_alt", "tags"]
        widgets = {"body": RichTextWidget(attrs={"rows": 10})}
        help_texts = {
            "title": _("A short sentence that says what you propose."),
            "body": _("Explain the problem, your idea and who it helps. Blank lines separate paragraphs."),
            "address": _("Optional: where it would happen. It puts your proposal on the map."),
        }

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.component = component
        self.setup_address(component.space.organization)
        self.fields["tags"].queryset = component.space.tags.all()
        if not self.fields["tags"].queryset.exists():
            del self.fields["tags"]
        self.fields["image"].help_text = _("PNG, JPEG, GIF or WebP, at most 2 MB.")

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if len(title) < 10:
            raise forms.ValidationError(_("Please give a title of at least 10 characters."))
        return title

    def clean_body(self):
        body = self.cleaned_data["body"]
        length = len(plain_text(body))
        maximum = self.component.current_settings()["body_max_length"]
        if length < 15:
            raise forms.ValidationError(_("Please describe your proposal in a few sentences."))
        if length > maximum:
            raise forms.ValidationError(
                ngettext(
                    "At most %(max)s character (%(length)s now).",
                    "At most %(max)s characters (%(length)s now).",
                    maximum,
                )
                % {"max": maximum, "length": length}
            )
        return body


class DraftForm(forms.ModelForm):
    """A collaborative draft's title and text, and the version the edit started from."""

    started_from = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    class Meta:
        model = CollaborativeDraft
        fields = ["title", "body"]
        widgets = {"body": RichTextWidget(attrs={"rows": 14})}
        help_texts = {
            "title": _("A short sentence that says what the draft proposes."),
            "body": _("Write the proposal together: every save is kept in the history of the draft."),
        }

    def __init__(self, *args, component, **kwargs):
        super().__init__(*args, **kwargs)
        self.component = component

    clean_title = ProposalForm.clean_title

    def clean_body(self):
        body = self.cleaned_data["body"]
        length = len(plain_text(body))
        maximum = self.component.current_settings()["body_max_length"]
        if length < 15:
            raise forms.ValidationError(_("Please write a few sentences."))
        if length > maximum:
            raise forms.ValidationError(
                ngettext(
                    "At most %(max)s character (%(length)s now).",
                    "At most %(max)s characters (%(length)s now).",
                    maximum,
                )
                % {"max": maximum, "length": length}
            )
        return body
