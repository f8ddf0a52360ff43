from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.authorizations.identity import identity_handlers
from civitas.editor.widgets import RichTextWidget


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=10, max_length=150)
    body = forms.CharField(
        label=_("Text of the petition"),
        min_length=50,
        max_length=10_000,
        widget=RichTextWidget(attrs={"rows": 12}),
        help_text=_("What you ask the institution, and why. Links are allowed; formatting is simple."),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of a co-promoter"),
        help_text=_("They must have an account here and accept before the petition is submitted."),
    )


NO_IDENTITY_OFFERED = _(
    "This petition cannot be published: the organization has no identity provider set up and "
    "enabled, so nobody could sign."
)


class PublishForm(forms.Form):
    """What the review's publication needs. The identities offered are those the organization's
    people can get (the service itself checks only that such a verification exists: the demo
    publishes on installations that have no provider)."""

    # ISO dates: a date input shows nothing of a value in the page's language format.
    deadline = forms.DateField(
        label=_("Last day of signing"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    identity_handler = forms.ChoiceField(label=_("Identity required to sign"))

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.components.petitions.services import identity_label

        # Only what the organization's people can get: a petition nobody can sign is never published.
        self.handlers = identity_handlers(organization)
        if self.handlers:
            self.fields["identity_handler"].choices = [
                (handler, identity_label(handler)) for handler in self.handlers
            ]
        else:
            del self.fields["identity_handler"]

    def clean(self):
        if not self.handlers:
            raise forms.ValidationError(NO_IDENTITY_OFFERED)
        return super().clean()


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, made public"),
        max_length=5000,
        widget=RichTextWidget(attrs={"rows": 5}, uploads=True),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Official answer"), max_length=20_000, widget=RichTextWidget(attrs={"rows": 10}, uploads=True)
    )


class BatchForm(forms.Form):
    label = forms.CharField(label=_("Name of the batch"), max_length=200)


class PaperLineForm(forms.Form):
    line = forms.CharField(label=_("Sheet and line"), max_length=20, help_text=_("e.g. 12-3"))
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    given_names = forms.CharField(label=_("Given names"), max_length=150)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    birth_place = forms.CharField(
        label=_("Birth place (INSEE code of the commune)"),
        max_length=5,
        required=False,
        help_text=_("Empty for people born abroad."),
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=40)
