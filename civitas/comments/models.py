from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text, sanitize_html

BODY_MAX_LENGTH = 5000
MAX_DEPTH = 2  # a comment (0), a reply (1), a reply to a reply (2)


class Alignment(models.TextChoices):
    NEUTRAL = "neutral", _("No position")
    FOR = "for", _("In favour")
    AGAINST = "against", _("Against")


class CommentQuerySet(models.QuerySet):
    def of(self, resource):
        content_type = ContentType.objects.get_for_model(resource)
        return self.filter(content_type=content_type, object_id=resource.pk)

    def visible(self):
        """What the public sees: not hidden by moderation, nor inside a hidden comment's replies.

        Deleted comments stay: they show as such, so that their replies keep their place.
        """
        return self.filter(
            Q(hidden_at__isnull=True),
            Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True),
            Q(parent__parent__isnull=True) | Q(parent__parent__hidden_at__isnull=True),
        )

    def counted(self):
        """What comment counters count: visible and not deleted (see ``counters``)."""
        return self.visible().filter(deleted_at__isnull=True)


class Comment(models.Model):
    """A comment on any registered resource, or a reply to one, up to ``MAX_DEPTH``."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="comments"
    )
    # Denormalized from the resource: permissions are the component's, and deleting a
    # component deletes its comments.
    component = models.ForeignKey("components.Component", on_delete=models.CASCADE, related_name="comments")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    commentable = GenericForeignKey("content_type", "object_id")
    # Accounts are never removed, only anonymized: the comment stays, by "Deleted participant".
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.RESTRICT, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", db_index=False
    )  # indexed with created_at below
    depth = models.PositiveSmallIntegerField(default=0)
    body = models.TextField(_("comment"))
    alignment = models.CharField(
        _("position"), max_length=10, choices=Alignment.choices, default=Alignment.NEUTRAL
    )
    # Kept in the row so a page of comments needs no counting; changed with F() expressions.
    ups = models.PositiveIntegerField(default=0)
    downs = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        # A page of a thread is read from the sort key of the previous one (``keyset``):
        # these indexes hold the whole key, in the order of the page, so the database
        # reads only the page's rows, wherever it starts.
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "depth", "created_at", "id"], name="comment_thread_idx"
            ),
            models.Index(
                fields=["content_type", "object_id", "depth", "-score", "created_at", "id"],
                name="comment_best_idx",
            ),
            models.Index(fields=["parent", "created_at"], name="comment_replies_idx"),
            # A resource's comments of every depth by date: the API's pages (api.pagination).
            models.Index(
                fields=["content_type", "object_id", "created_at", "id"], name="comment_chronology_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(depth__lte=MAX_DEPTH), name="comment_depth_at_most_2"),
            models.CheckConstraint(
                condition=Q(parent__isnull=True, depth=0) | Q(parent__isnull=False, depth__gt=0),
                name="comment_depth_matches_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.excerpt

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from civitas.comments.services import comment_url

        return comment_url(self)

    @property
    def excerpt(self) -> str:
        return Truncator(plain_text(self.body)).chars(80) if self.body else f"#{self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def can_have_replies(self) -> bool:
        return self.depth < MAX_DEPTH


class CommentVote(models.Model):
    """One person's up (+1) or down (-1) vote on one comment."""

    UP, DOWN = 1, -1

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_votes")
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("comment", "user", name="comment_vote_once_per_person"),
            models.CheckConstraint(condition=Q(value__in=(1, -1)), name="comment_vote_is_up_or_down"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {'+' if self.value > 0 else '-'} {self.comment_id}"
