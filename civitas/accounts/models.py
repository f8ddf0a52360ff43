import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.core.images import validate_uploaded_image
from civitas.core.uploads import ReencodedImageField
from civitas.organizations.models import LOCALE_CHOICES, Organization

nickname_validator = RegexValidator(
    r"^[A-Za-z0-9_-]{3,30}$",
    _("3 to 30 characters: letters without accents, digits, hyphen or underscore."),
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, *, organization, **fields):
        user = self.model(email=self.normalize_email(email).lower(), organization=organization, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """`createsuperuser` makes a system admin: the installation's level, no organization."""
        fields.setdefault("name", email.split("@")[0])
        fields.setdefault("nickname", f"system-{uuid.uuid4().hex[:8]}")
        return self.create_user(
            email,
            password,
            organization=None,
            is_system_admin=True,
            email_confirmed_at=timezone.now(),
            **fields,
        )


class User(AbstractBaseUser, PermissionsMixin):
    """An account of one organization, or a system admin when organization is empty.

    The same e-mail may hold accounts in several organizations, so e-mail and nickname
    are unique per organization only; authentication is always scoped by the request's
    organization (see ``backends``).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="users"
    )
    email = models.EmailField(_("e-mail address"))
    name = models.CharField(_("name"), max_length=150)
    nickname = models.CharField(_("nickname"), max_length=30, validators=[nickname_validator])
    locale = models.CharField(_("language"), max_length=5, choices=LOCALE_CHOICES, blank=True)
    avatar = ReencodedImageField(
        _("avatar"), upload_to="avatars", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    about = models.TextField(_("about"), max_length=2000, blank=True)
    personal_url = models.URLField(_("personal website"), max_length=300, blank=True)

    is_active = models.BooleanField(default=True)
    is_organization_admin = models.BooleanField(_("organization admin"), default=False)
    # Handles the organization's people (participants, verifications, blocks) but no space
    # and no setting: a flag beside the admin's, checked by the same organization-level guards.
    is_user_manager = models.BooleanField(_("user manager"), default=False)
    is_system_admin = models.BooleanField(_("system admin"), default=False)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    pending_email = models.EmailField(blank=True)
    accepted_terms_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        # The participants list pages through an organization's accounts, newest first.
        indexes = [models.Index(fields=["organization", "-date_joined"], name="user_newest_per_organization")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "organization", name="user_email_unique_per_organization"
            ),
            models.UniqueConstraint(
                Lower("email"), condition=Q(organization__isnull=True), name="system_admin_email_unique"
            ),
            models.UniqueConstraint(
                Lower("nickname"), "organization", name="user_nickname_unique_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return self.nickname

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def public_name(self) -> str:
        return str(_("Deleted participant")) if self.is_deleted else self.name
