from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.authorizations.handlers import HANDLERS
from civitas.core.richtext import plain_text
from civitas.editor.widgets import RichTextWidget
from civitas.newsletters.models import Audience
from civitas.spaces.models import Space


class NewsletterForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Text of the newsletter"), widget=RichTextWidget(attrs={"rows": 16}, uploads=True)
    )
    audience = forms.ChoiceField(
        label=_("Recipients"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
        initial=Audience.ALL,
        help_text=_("Only participants who accepted the newsletter receive it, whatever the choice."),
    )
    spaces = forms.ModelMultipleChoiceField(
        label=_("Spaces"),
        queryset=Space.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For followers or participants of spaces."),
    )
    handler = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        help_text=_("For verified residents."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spaces"].queryset = Space.objects.filter(organization=organization).order_by("title")
        self.fields["handler"].choices = [("", "—"), *HANDLERS.items()]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if not plain_text(body):
            raise forms.ValidationError(_("Write the text of the newsletter."))
        return body

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience in (Audience.FOLLOWERS, Audience.PARTICIPANTS) and not cleaned.get("spaces"):
            self.add_error("spaces", _("Choose at least one space."))
        if audience == Audience.VERIFIED and not cleaned.get("handler"):
            self.add_error("handler", _("Choose a kind of verification."))
        return cleaned


class ConsentForm(forms.Form):
    newsletter = forms.BooleanField(label=_("Send me the newsletter"), required=False)
