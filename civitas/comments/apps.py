from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def authors_of_visible_comments(organization):
    """Activity source for robots.txt and profile indexing: people with a visible comment."""
    from civitas.comments.models import Comment
    from civitas.core.activity import in_public_components

    return (
        Comment.objects.filter(organization=organization, hidden_at__isnull=True, deleted_at__isnull=True)
        .filter(in_public_components())
        .values("author_id")
    )


class CommentsConfig(AppConfig):
    name = "civitas.comments"
    label = "comments"
    verbose_name = _("Comments")

    def ready(self):
        from civitas.comments import exports  # noqa: F401  (registers the GDPR exports)
        from civitas.comments.counters import lock_for_recount, recount_after_change
        from civitas.comments.models import Comment
        from civitas.core.activity import register_activity_source
        from civitas.moderation.registry import register_moderatable
        from civitas.notifications.kinds import register_kind

        register_kind("comment_reply", _("%(author)s replied to your comment on “%(target)s”."))
        register_kind("comment_mention", _("%(author)s mentioned you in a comment on “%(target)s”."))
        # Moderation hides a comment by setting its ``hidden_at``; the registry is plain Python.
        register_moderatable(
            Comment,
            space_of=lambda comment: comment.component.space,
            author_of=lambda comment: comment.author,
            title_of=lambda comment: comment.excerpt,
            url_of=lambda comment: comment.get_absolute_url(),
            after_hidden_changed=recount_after_change,
            before_hidden_change=lock_for_recount,
        )
        register_activity_source(authors_of_visible_comments)
