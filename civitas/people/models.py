"""Invitations to an organization role: admin, user manager, or a role in one space.

The link's token is never stored: only its SHA-256, so a copy of the database opens no
invitation. One invitation serves once, for a limited time, and may be revoked or sent
again (which makes a new token and forgets the old one).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.organizations.models import Organization


class InvitedRole(models.TextChoices):
    ORGANIZATION_ADMIN = "organization_admin", _("Organization admin")
    USER_MANAGER = "user_manager", _("User manager")
    SPACE_ADMIN = "space_admin", _("Space admin")
    SPACE_MODERATOR = "space_moderator", _("Space moderator")
    SPACE_EVALUATOR = "space_evaluator", _("Space evaluator")


# The invited roles held in one space, and the SpaceRole each one becomes.
SPACE_ROLES = {
    InvitedRole.SPACE_ADMIN: "admin",
    InvitedRole.SPACE_MODERATOR: "moderator",
    InvitedRole.SPACE_EVALUATOR: "evaluator",
}


class Invitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=InvitedRole.choices)
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_invitations",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["organization", "accepted_at"], name="invitation_open_per_org")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(role__in=["organization_admin", "user_manager"], space__isnull=True)
                    | models.Q(
                        role__in=["space_admin", "space_moderator", "space_evaluator"], space__isnull=False
                    )
                ),
                name="invitation_space_role_names_its_space",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"

    @property
    def state(self) -> str:
        if self.accepted_at is not None:
            return self.State.ACCEPTED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return self.State(self.state).label

    @property
    def is_space_role(self) -> bool:
        return self.role in SPACE_ROLES
