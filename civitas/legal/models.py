"""The organization's terms of use, in numbered versions, who accepted which, and its help pages.

A version of the terms is written once and never changed: what a person accepted stays
readable as they accepted it. Help pages change, and each save keeps a revision.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import sanitize_html
from civitas.organizations.models import Organization


class TermsVersion(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="terms_versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    summary = models.CharField(_("what changed"), max_length=500)
    published_at = models.DateTimeField(_("published on"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="terms_version_number_per_organization"
            )
        ]

    def __str__(self) -> str:
        return str(_("Terms of use, version %(number)s") % {"number": self.number})

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A published version of the terms is never changed; publish a new one.")
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class TermsAcceptance(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="terms_acceptances"
    )
    version = models.ForeignKey(TermsVersion, on_delete=models.CASCADE, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="terms_accepted_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version}"


class HelpPage(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="help_pages")
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("address"),
        max_length=80,
        help_text=_("The end of the page's address: letters, digits and hyphens."),
    )
    body = models.TextField(_("text"))
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="help_page_slug_per_organization")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class HelpPageRevision(models.Model):
    """A help page as one save left it: who, when, and its title, address and text then."""

    page = models.ForeignKey(HelpPage, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    body = models.TextField()
    changed = models.JSONField(default=list)

    class Meta:
        ordering = ["-saved_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"
