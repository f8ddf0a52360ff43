"""Authorizations: proofs that an account belongs to someone entitled to take part.

A census list holds, per resident, only a keyed hash (HMAC-SHA256 with a server
secret) of their identifier and birth date: a stolen database reveals neither, and
without the secret one cannot even test a guess.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization


class CensusEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "digest"], name="census_entry_once")]

    def __str__(self) -> str:
        return self.digest[:12]


class Authorization(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authorizations"
    )
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    handler = models.CharField(_("kind"), max_length=30)
    # Which census entry was matched: one resident verifies one account only.
    unique_digest = models.CharField(max_length=64)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "handler"], name="one_authorization_per_kind"),
            models.UniqueConstraint(
                fields=["organization", "handler", "unique_digest"], name="one_account_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handler}: {self.user_id}"
