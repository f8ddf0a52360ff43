"""A form mixin that adds the accessible text CAPTCHA, a honeypot and a fill-time check."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civitas.captcha.challenge import CaptchaError, new_challenge, solved_challenge, verify

HONEYPOT_FIELD = "website"


class CaptchaFormMixin(forms.Form):
    """Mix into any form an anonymous visitor can post. Pass ``organization=``.

    On any failure the page shows a fresh question and keeps what the visitor typed.
    """

    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)
    captcha_answer = forms.CharField(
        label=_("Security question"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.captcha_solved = False
        if not self.is_bound:
            self._show_challenge(new_challenge(self._locale(), organization))

    def _locale(self) -> str:
        return (get_language() or "fr")[:2]

    def _show_challenge(self, challenge) -> None:
        field = self.fields["captcha_answer"]
        # A bound field caches its label when first built (during validation): rebuild it.
        self._bound_fields_cache.pop("captcha_answer", None)
        if challenge.question is None:
            self.captcha_solved = True
            field.widget = forms.HiddenInput()
            field.label = ""
        else:
            field.label = challenge.question
            field.help_text = _(
                "Answer in one or a few words. This question checks that you are not a robot."
            )
        if self.is_bound:
            # The fresh token replaces the one that was just consumed; the rest of the
            # submitted data is kept so the visitor does not type it again.
            self.data = self.data.copy()
            self.data[self.add_prefix("captcha_token")] = challenge.token
            self.data[self.add_prefix("captcha_answer")] = ""
        else:
            self.initial["captcha_token"] = challenge.token

    def clean(self):
        # The CAPTCHA is checked before the form's own clean(), so a bot never reaches
        # the expensive or revealing part (a password check, a uniqueness lookup).
        if self.cleaned_data.get(HONEYPOT_FIELD):
            self.add_error(None, _("Your submission looks automated and was not saved."))
            self._show_challenge(new_challenge(self._locale(), self.organization))
            return self.cleaned_data
        try:
            verify(
                self.cleaned_data.get("captcha_token", ""),
                self.cleaned_data.get("captcha_answer", ""),
                self.organization,
            )
        except CaptchaError as error:
            self.add_error("captcha_answer", error.message)
            self._show_challenge(new_challenge(self._locale(), self.organization))
            return self.cleaned_data
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            self.add_error(None, error)
            cleaned = self.cleaned_data
        if self.errors:
            # Right answer, but the form goes back for another reason: don't ask again.
            self._show_challenge(solved_challenge())
        return cleaned
