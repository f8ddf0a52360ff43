"""A form mixin that adds the accessible text CAPTCHA, a honeypot and a fill-time check."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civitas.captcha.challenge import SCOPES, CaptchaError, new_challenge, verify

HONEYPOT_FIELD = "website"


class CaptchaFormMixin(forms.Form):
    """Mix into any form an anonymous visitor can post. Pass ``organization=``.

    Each form class names its ``captcha_scope``: a token is only good for the form and
    the organization it was issued for. The CAPTCHA is checked before any other field:
    until it is answered, nothing the visitor typed is looked up (an e-mail address, a
    nickname, a password). Whenever the form goes back to the visitor, it carries a new
    question and keeps what the visitor typed.
    """

    captcha_scope: str = ""

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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.captcha_scope:
            SCOPES.add(cls.captcha_scope)

    def __init__(self, *args, organization=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.captcha_scope:
            raise TypeError(f"{type(self).__name__} must set captcha_scope")
        self.organization = organization
        self.captcha_passed = False
        if not self.is_bound:
            self._show_new_question()

    def _locale(self) -> str:
        return (get_language() or "fr")[:2]

    def _show_new_question(self) -> None:
        challenge = new_challenge(self.captcha_scope, self._locale(), self.organization)
        field = self.fields["captcha_answer"]
        # A bound field caches its label when first built (during validation): rebuild it.
        self._bound_fields_cache.pop("captcha_answer", None)
        field.label = challenge.question
        field.help_text = _("Answer in one or a few words. This question checks that you are not a robot.")
        if self.is_bound:
            # The fresh token replaces the one that was just consumed; the rest of the
            # submitted data is kept so the visitor does not type it again.
            self.data = self.data.copy()
            self.data[self.add_prefix("captcha_token")] = challenge.token
            self.data[self.add_prefix("captcha_answer")] = ""
        else:
            self.initial["captcha_token"] = challenge.token

    def _raw(self, name: str) -> str:
        value = self[name].data
        return value.strip() if isinstance(value, str) else ""

    def _check_captcha(self) -> bool:
        if self._raw(HONEYPOT_FIELD):
            self.add_error(None, _("Your submission looks automated and was not saved."))
            return False
        try:
            verify(
                self.captcha_scope, self._raw("captcha_token"), self._raw("captcha_answer"), self.organization
            )
        except CaptchaError as error:
            self.add_error("captcha_answer", error.message)
            return False
        return True

    def full_clean(self):
        self.captcha_passed = False
        super().full_clean()
        if self.is_bound and self._errors:
            # Whatever failed, the visitor answers a new question: a right answer is
            # never carried over to another try.
            self._show_new_question()

    def _clean_fields(self):
        # Before any field's own checks (clean_<field> methods run here).
        self.captcha_passed = self._check_captcha()
        if self.captcha_passed:
            super()._clean_fields()

    def _clean_form(self):
        if self.captcha_passed:
            super()._clean_form()

    def _post_clean(self):
        if self.captcha_passed:
            super()._post_clean()
