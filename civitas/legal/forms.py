from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.editor.widgets import RichTextWidget
from civitas.legal import services
from civitas.legal.models import HelpPage


class TermsVersionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Optional; the page is called “Terms of use” without one."),
    )
    body = forms.CharField(
        label=_("Text of the terms"), widget=RichTextWidget(attrs={"rows": 18}, uploads=True)
    )
    summary = forms.CharField(
        label=_("What changed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences shown to participants when they are asked to accept this version."),
    )

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not plain_text(body):
            raise forms.ValidationError(_("Write the text of the terms."))
        return body


class HelpPageForm(forms.ModelForm):
    class Meta:
        model = HelpPage
        fields = ["title", "slug", "body"]
        widgets = {"body": RichTextWidget(attrs={"rows": 16}, uploads=True)}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if services.slug_taken(self.organization, slug, exclude_pk=self.instance.pk):
            raise forms.ValidationError(_("Another help page already has this address."))
        return slug

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not plain_text(body):
            raise forms.ValidationError(_("Write the text of the page."))
        return body
