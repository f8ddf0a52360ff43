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
    # The district the census gives this resident (optional column), handed to the
    # account's authorization: a place shared by many, so it does not pair them.
    district = models.CharField(max_length=100, blank=True)

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
    # The district the verification places the resident in (census or letter), if any:
    # budgets restricted to a district admit only its residents.
    district = models.CharField(_("district"), max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "handler"], name="one_authorization_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.handler}: {self.user_id}"


class ActionRequirement(models.Model):
    """A verification an action of a component needs: in every phase, or in one phase.

    In the active phase an action needs every handler named for it with no phase and every
    handler named for that phase (the union: a phase adds requirements, it never removes
    one). ``action`` is a name declared in the component's manifest, or ``comment``.
    """

    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="+")
    phase = models.ForeignKey(
        "spaces.Phase", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=50)
    handler = models.CharField(max_length=30)
    # For handlers backed by a verified identity with a birth date (FranceConnect).
    minimum_age = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["component", "action", "handler"],
                condition=models.Q(phase__isnull=True),
                name="one_requirement_per_handler_in_every_phase",
            ),
            models.UniqueConstraint(
                fields=["component", "phase", "action", "handler"],
                condition=models.Q(phase__isnull=False),
                name="one_requirement_per_handler_in_a_phase",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}: {self.handler}"


class LetterBatch(models.Model):
    """Letters printed at once for residents' addresses; only their codes' keyed hashes stay."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    created_on = models.DateField()
    # The codes work until the end of this day.
    expires_on = models.DateField(_("valid until"))
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["-created_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_on}: {self.size}"


class LetterCode(models.Model):
    """One letter's code, as a keyed hash; like a census entry, it never names the account it verified."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(LetterBatch, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    district = models.CharField(max_length=100, blank=True)
    used = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "digest"], name="letter_code_once")]

    def __str__(self) -> str:
        return self.digest[:12]
