from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.accounts.forms import check_free_nickname, check_new_password
from civitas.accounts.models import User
from civitas.people.models import InvitedRole


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=InvitedRole.choices)
    space = forms.ChoiceField(
        label=_("Space"),
        required=False,
        help_text=_("For a space admin, moderator or evaluator only."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from civitas.spaces.models import Space

        self.spaces = Space.objects.filter(organization=organization).order_by("position", "pk")
        self.fields["space"].choices = [("", "—"), *((str(space.pk), space.title) for space in self.spaces)]

    def clean_space(self):
        chosen = self.cleaned_data.get("space")
        if not chosen:
            return None
        return self.spaces.filter(pk=chosen).first()


class NewAccountForm(forms.Form):
    """The invited person's account: the address comes from the invitation, the rest from them."""

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
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters, not too common."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"), required=True)

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_nickname(self):
        return check_free_nickname(self.invitation.organization, self.cleaned_data["nickname"])

    def clean(self):
        cleaned = super().clean()
        check_new_password(self, cleaned, email=self.invitation.email)
        return cleaned
