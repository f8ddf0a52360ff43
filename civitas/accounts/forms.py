import secrets

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from civitas.captcha.forms import CaptchaFormMixin

User = get_user_model()


def nickname_taken(organization, nickname: str) -> bool:
    return User.objects.filter(organization=organization, nickname__iexact=nickname).exists()


def suggest_free_nickname(organization, nickname: str) -> str | None:
    """The nickname with a few random digits that nobody in the organization uses yet."""
    stem = nickname[: User._meta.get_field("nickname").max_length - 4]
    for digits in (2, 2, 3, 3, 4):
        candidate = f"{stem}{secrets.randbelow(10**digits):0{digits}d}"
        if not nickname_taken(organization, candidate):
            return candidate
    return None


def check_free_nickname(organization, nickname: str) -> str:
    """The nickname when free in the organization; otherwise an error naming a free one.
    Nicknames are public (profile pages), so saying one is taken reveals no account."""
    if nickname_taken(organization, nickname):
        free = suggest_free_nickname(organization, nickname)
        if free:
            raise forms.ValidationError(
                _("This nickname is taken. “%(free)s” is free, or choose another one."),
                params={"free": free},
            )
        raise forms.ValidationError(_("This nickname is taken. Please choose another one."))
    return nickname


def check_new_password(form, cleaned: dict, *, email: str) -> None:
    """The two passwords match and pass the validators, judged against the person's own
    e-mail, name and nickname; errors go on the form's password fields."""
    password1, password2 = cleaned.get("password1"), cleaned.get("password2")
    if password1 and password2 and password1 != password2:
        form.add_error("password2", _("The two passwords differ."))
    elif password1:
        candidate = User(email=email, name=cleaned.get("name", ""), nickname=cleaned.get("nickname", ""))
        try:
            password_validation.validate_password(password1, candidate)
        except forms.ValidationError as error:
            form.add_error("password1", error)


class SignUpForm(CaptchaFormMixin, forms.Form):
    captcha_scope = "signup"

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    nickname = forms.CharField(
        label=_("Nickname"),
        max_length=30,
        validators=User._meta.get_field("nickname").validators,
        help_text=_("Shown publicly with your contributions. Letters, digits, - and _."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not too common."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"), required=True)
    newsletter = forms.BooleanField(
        label=_("Send me the newsletter by e-mail"),
        required=False,
        help_text=_("Optional. News of consultations and votes; you can stop at any time."),
    )

    field_order = [
        "name",
        "nickname",
        "email",
        "password1",
        "password2",
        "accept_terms",
        "newsletter",
        "captcha_answer",
    ]

    def clean_email(self):
        # Whether an account already uses the address is never said here: the view
        # answers "check your inbox" either way and e-mails that account's owner.
        return self.cleaned_data["email"].strip().lower()

    def clean_nickname(self):
        # Runs only once the CAPTCHA is answered (CaptchaFormMixin).
        return check_free_nickname(self.organization, self.cleaned_data["nickname"])

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, email=cleaned.get("email", ""))
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    error_messages = {
        "invalid_login": _("Wrong e-mail address or password."),
        "inactive": _("This account is blocked or deleted."),
        "unconfirmed": _(
            "Please confirm your e-mail address first: follow the link we sent you. "
            "You can ask for a new link below."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed")


class CaptchaLoginForm(CaptchaFormMixin, LoginForm):
    """The log-in form as shown after a failed attempt from this client or for this account."""

    captcha_scope = "login"


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Six-digit code from your authentication app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class PasswordResetRequestForm(CaptchaFormMixin, forms.Form):
    """Only the address: whether an account uses it is looked up later, in the task queue."""

    captcha_scope = "password_reset"

    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ResendConfirmationForm(CaptchaFormMixin, forms.Form):
    captcha_scope = "resend_confirmation"

    email = forms.EmailField(label=_("E-mail address"))


class ProfileForm(forms.ModelForm):
    personal_url = forms.URLField(
        label=_("Personal website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = User
        fields = ["name", "nickname", "about", "personal_url", "avatar", "locale"]
        widgets = {"about": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["avatar"].widget = forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        )
        self.fields["avatar"].help_text = _("PNG, JPEG, GIF or WebP, at most 2 MB and 4000×4000 pixels.")
        self.fields["locale"].required = False

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"]
        taken = User.objects.filter(organization=self.instance.organization, nickname__iexact=nickname)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This nickname is taken. Please choose another one."))
        return nickname


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"))
    password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Wrong password."))
        return self.cleaned_data["password"]

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError(_("This is already your e-mail address."))
        # Whether another account uses it is not said here (anyone could test addresses):
        # that account's owner is told by e-mail instead (services.do_request_email_change).
        return email


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Wrong password."))
        return self.cleaned_data["password"]
