"""Authorizations: proofs that an account belongs to someone entitled to take part.

A census list holds, per resident, only a keyed hash (HMAC-SHA256 with a server
secret) of their identifier and birth date: a stolen database reveals neither, and
without the secret one cannot even test a guess.

A verification writes two facts that cannot be paired: "this account is verified" (an
``Authorization``: the account, the kind, the day) and "this census entry was used" (the
``used`` flag of the existing ``CensusEntry`` row, set by an UPDATE: no new row whose
position or id would tell the order of arrival). No column holds both an account and a
digest, and neither table keeps a time finer than the day. Whoever holds the census file
and its key can tell which residents verified an account, not which account is theirs.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization


class CensusEntry(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64)
    # On the list the admin last uploaded. A used entry left out of a new list is kept,
    # unlisted, so that it cannot verify a second account if it comes back later.
    listed = models.BooleanField(default=True)
    # One account was verified with this entry (which one is not recorded anywhere).
    used = models.BooleanField(default=False)

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
    # The day only: an exact time could be matched with the moment a census entry changed.
    granted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "handler"], name="one_authorization_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.handler}: {self.user_id}"
