from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from civitas.accounts.forms import nickname_taken, suggest_free_nickname
from civitas.identity.kinds import KINDS
from civitas.identity.models import KEPT_DATA_CHOICES, IdentityProvider

User = get_user_model()


class ProviderForm(forms.ModelForm):
    """An organization's identity provider; the client secret is write-only."""

    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        strip=True,
        max_length=500,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=False),
    )
    discovery_url = forms.URLField(
        label=_("Discovery address"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The provider's OpenID configuration: its issuer followed by /.well-known/openid-configuration."
        ),
    )
    kept_data = forms.MultipleChoiceField(
        label=_("Identity data kept with the account"),
        choices=KEPT_DATA_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Keep only what your organization needs: the birth date for an age limit, the birth place "
            "for statistics by département. What is not ticked is read at log-in and dropped."
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "name",
            "discovery_url",
            "client_id",
            "client_secret",
            "scopes",
            "acr_values",
            "kept_data",
            "allow_sign_up",
            "enabled",
        ]

    def __init__(self, *args, organization, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.kind = KINDS[kind]
        if self.instance.pk:
            self.fields["client_secret"].help_text = _(
                "A secret is saved. It is never shown again; type a new one only to replace it."
            )
        else:
            self.fields["client_secret"].required = True
            # The instance's empty fields would hide the kind's defaults.
            self.initial.update(
                name=self.kind.default_name,
                discovery_url=self.kind.default_discovery_url,
                scopes=self.kind.default_scopes,
                acr_values=self.kind.default_acr_values,
                allow_sign_up=True,
                enabled=True,
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = IdentityProvider.objects.filter(organization=self.organization, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another provider of your organization has this name."))
        return name

    def clean_discovery_url(self):
        url = self.cleaned_data["discovery_url"].strip()
        if not url.endswith("/.well-known/openid-configuration"):
            raise forms.ValidationError(_("The address must end with /.well-known/openid-configuration."))
        if not url.startswith("https://") and not url.startswith("http://127.0.0.1:"):
            # Plain HTTP only for a provider on this machine (tests, development).
            raise forms.ValidationError(_("The address must start with https://."))
        return url

    def clean_scopes(self):
        scopes = self.cleaned_data["scopes"].split()
        if "openid" not in scopes:
            raise forms.ValidationError(_("The scopes must include “openid”."))
        if any(not scope.isascii() or not scope.isprintable() for scope in scopes):
            raise forms.ValidationError(_("Scopes are words separated by spaces."))
        return " ".join(dict.fromkeys(scopes))

    def clean_acr_values(self):
        return " ".join(self.cleaned_data["acr_values"].split())

    def save(self, commit=True):
        provider = super().save(commit=False)
        provider.organization = self.organization
        provider.kind = self.kind.name
        if self.cleaned_data.get("client_secret"):
            provider.client_secret = self.cleaned_data["client_secret"]
        elif provider.pk:
            provider.client_secret = IdentityProvider.objects.get(pk=provider.pk).client_secret
        if commit:
            provider.save()
        return provider


class FinishSignUpForm(forms.Form):
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
        label=_("E-mail address"),
        help_text=_(
            "For notifications. A different address than the one given by the provider must be confirmed."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"), required=True)

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean_nickname(self):
        nickname = self.cleaned_data["nickname"]
        if nickname_taken(self.organization, nickname):
            free = suggest_free_nickname(self.organization, nickname)
            if free:
                raise forms.ValidationError(
                    _("This nickname is taken. “%(free)s” is free, or choose another one."),
                    params={"free": free},
                )
            raise forms.ValidationError(_("This nickname is taken. Please choose another one."))
        return nickname

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # The person has just proven who they are to the provider, so saying that an
        # address has an account here tells them little; it lets them log in instead.
        if User.objects.filter(organization=self.organization, email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "An account already uses this address. Log in with it, then link the provider "
                    "in your account settings; or give another address."
                )
            )
        return email
