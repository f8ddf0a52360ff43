from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.comments import services


class CommentForm(forms.Form):
    """Validates what a comment form posts; the templates write the fields out themselves
    (one form per comment on a page needs ids of its own)."""

    body = forms.CharField(
        label=_("Your comment"),
        required=False,  # an empty comment gets the service's message, not Django's
        strip=True,
    )
    alignment = forms.CharField(required=False)
    parent = forms.CharField(required=False)

    def clean_body(self):
        try:
            services.clean_body(self.cleaned_data["body"])
        except services.CommentError as error:
            raise forms.ValidationError(error.message) from error
        return self.cleaned_data["body"]

    def clean_alignment(self):
        try:
            return services.clean_alignment(self.cleaned_data["alignment"])
        except services.CommentError as error:
            raise forms.ValidationError(error.message) from error

    def clean_parent(self):
        raw = self.cleaned_data["parent"].strip()
        if not raw:
            return None
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
            raise forms.ValidationError(_("The comment you are replying to does not exist."))
        return int(raw)
