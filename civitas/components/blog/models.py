from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.components.models import Component
from civitas.core.images import validate_uploaded_image
from civitas.core.richtext import sanitize_html
from civitas.core.uploads import AltTextField, ReencodedImageField


class PostQuerySet(models.QuerySet):
    def published(self, now=None):
        """Posts whose publication date has come: a scheduled post is not one until then."""
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())


class Post(models.Model):
    """A news item written by the space's admins, signed by the organization or a group."""

    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="blog_posts")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))
    image = ReencodedImageField(
        _("card image"), upload_to="blog", blank=True, db_index=True, validators=[validate_uploaded_image]
    )
    image_alt = AltTextField()
    # Empty: signed by the organization. Otherwise the name of the participants' group
    # (a neighbourhood council, a citizens' committee) in whose name the post speaks.
    signed_by = models.CharField(
        _("group signing the post"),
        max_length=150,
        blank=True,
        help_text=_("Leave empty to sign with the organization's name."),
    )
    # Empty: a draft. In the future: scheduled, shown nowhere until then.
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    endorsement_count = models.PositiveIntegerField(_("number of endorsements"), default=0)
    comment_count = models.PositiveIntegerField(_("number of comments"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["component", "published_at"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.component.get_absolute_url()}{self.pk}/"

    def get_endorse_url(self) -> str:
        return f"{self.get_absolute_url()}endorse/"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.published_at is not None and self.published_at > timezone.now()

    def signature(self) -> str:
        return self.signed_by or self.component.space.organization.name


class Endorsement(models.Model):
    """A participant's endorsement of a post: one per person and post, withdrawn at will."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="endorsements")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_endorsements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="blog_one_endorsement_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.post_id}"
