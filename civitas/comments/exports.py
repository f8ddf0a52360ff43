"""The comments app's share of a user's GDPR export."""

from civitas.comments.models import Comment, CommentVote
from civitas.core.gdpr import register_export
from civitas.core.richtext import plain_text


def _iso(value) -> str:
    return value.isoformat() if value else ""


@register_export("comments", covers=[(Comment, "author")])
def export_comments(user) -> list[dict]:
    comments = Comment.objects.filter(author=user).select_related("content_type").order_by("created_at", "pk")
    return [
        {
            "id": comment.pk,
            "on": f"{comment.content_type.app_label}.{comment.content_type.model}",
            "on_id": comment.object_id,
            "in_reply_to": comment.parent_id or "",
            "position": comment.alignment,
            "text": plain_text(comment.body),
            "html": comment.body,
            "up_votes": comment.ups,
            "down_votes": comment.downs,
            "created_at": _iso(comment.created_at),
            "edited_at": _iso(comment.edited_at),
            "deleted_at": _iso(comment.deleted_at),
            "hidden_by_moderation_at": _iso(comment.hidden_at),
        }
        for comment in comments.iterator()
    ]


@register_export("comment_votes", covers=[(CommentVote, "user")])
def export_comment_votes(user) -> list[dict]:
    votes = CommentVote.objects.filter(user=user).order_by("created_at", "pk")
    return [
        {
            "comment_id": vote.comment_id,
            "vote": "up" if vote.value > 0 else "down",
            "created_at": _iso(vote.created_at),
        }
        for vote in votes
    ]
