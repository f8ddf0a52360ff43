"""Identity providers of an organization, and the accounts linked to them.

A ``ProviderAccount`` says "the person this provider knows as ``subject`` owns this
account". It keeps, beyond the subject, only the identity data the organization chose
to keep (``IdentityProvider.kept_data``): names for the account's name, the birth date
and place for age limits and the public aggregates of petitions, the e-mail address.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.identity.kinds import kind_choices
from civitas.organizations.models import Organization

KEPT_NAMES = "names"
KEPT_BIRTH = "birth"
KEPT_EMAIL = "email"
KEPT_DATA_CHOICES = [
    (KEPT_NAMES, _("Given and family names")),
    (KEPT_BIRTH, _("Birth date and birth place")),
    (KEPT_EMAIL, _("E-mail address given by the provider")),
]


class IdentityProvider(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="identity_providers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=kind_choices())
    name = models.CharField(_("name shown on the log-in page"), max_length=80)
    discovery_url = models.URLField(
        _("discovery address"),
        max_length=500,
        help_text=_(
            "The provider's OpenID configuration: its issuer followed by /.well-known/openid-configuration."
        ),
    )
    client_id = models.CharField(_("client identifier"), max_length=255)
    # Never shown again once saved (the form leaves it empty and keeps it when left empty).
    client_secret = models.CharField(_("client secret"), max_length=500)
    scopes = models.CharField(_("scopes"), max_length=500)
    acr_values = models.CharField(
        _("requested authentication level (acr_values)"),
        max_length=200,
        blank=True,
        help_text=_("FranceConnect: eidas1. Leave empty when the provider has none."),
    )
    kept_data = models.JSONField(_("identity data kept"), default=list, blank=True)
    allow_sign_up = models.BooleanField(
        _("people without an account get one"),
        default=True,
        help_text=_("Otherwise only accounts that already exist can link this provider."),
    )
    enabled = models.BooleanField(_("shown on the log-in page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="identity_provider_name_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def keeps(self, what: str) -> bool:
        return what in (self.kept_data or [])


class ProviderAccount(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_accounts"
    )
    # Protected: a provider that people log in with is disabled, not deleted.
    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="accounts")
    subject = models.CharField(max_length=255)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    # INSEE code of the commune of birth; empty for people born abroad.
    birth_place = models.CharField(max_length=10, blank=True)
    # A keyed hash of the identity pivot (civitas.authorizations.persons), kept whatever the
    # organization keeps: it names nobody without the installation's secret, and it is what
    # counts a person once when they sign a petition both online and on paper.
    person_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="provider_subject_once"),
            models.UniqueConstraint(fields=["provider", "user"], name="provider_account_once_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user_id}"
