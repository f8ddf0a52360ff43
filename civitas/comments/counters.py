"""The comment counters kept in rows: ``Comment.reply_count`` and each resource's count field.

Pages read these columns instead of counting, so they must equal what a reader can see:

- a resource's count (``comment_count`` of a proposal, a debate …) is the number of its
  comments that are neither deleted nor hidden, nor inside a hidden comment's replies
  (``Comment.objects.counted()``);
- a comment's ``reply_count`` is the number of its direct replies that are not hidden and
  not deleted, plus the deleted ones that still have replies to show: those stay in the
  thread as "deleted" placeholders, and their own replies are reached through them.

Adding a comment moves the counters by one (``services.do_add_comment``). Anything that
can make comments disappear or come back (deletion, moderation hiding and restoring,
blocking an account) recounts the rows concerned with ``recount_after_change``.

Each counter row is locked before it is recounted, and the count is read in a statement
of its own after the lock: on PostgreSQL a concurrent reply, which increments the same
row under the same lock after inserting itself, is then either counted or added on top,
never lost. Locks are taken in the order a new reply takes them, so that the two cannot
wait for each other: comments (the parent first), then the component (its content
version), then the resource. On SQLite the IMMEDIATE transactions already serialise
writers.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from civitas.comments.models import Comment
from civitas.comments.registry import commentable_for
from civitas.components.freshness import mark_component_changed


def _shown_replies_count():
    replies = Comment.objects.filter(parent=OuterRef("pk"), hidden_at__isnull=True).filter(
        Q(deleted_at__isnull=True) | Q(reply_count__gt=0)
    )
    return Coalesce(
        Subquery(replies.order_by().values("parent").annotate(n=Count("pk")).values("n")), Value(0)
    )


def recount_replies(parent_ids: Iterable[int]) -> None:
    """Recount the replies of these comments, deepest first: a reply's own count decides
    whether a deleted reply still counts for its parent."""
    parents = list(
        Comment.objects.select_for_update()
        .filter(pk__in=set(parent_ids))
        .order_by("pk")
        .values_list("pk", "depth")
    )
    by_depth: dict[int, list[int]] = defaultdict(list)
    for pk, depth in parents:
        by_depth[depth].append(pk)
    for depth in sorted(by_depth, reverse=True):
        Comment.objects.filter(pk__in=by_depth[depth]).update(reply_count=_shown_replies_count())


def recount_resources(content_type_id: int, object_ids: Iterable[int]) -> None:
    """Set the count field of these resources (all of one type) to their counted comments."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    entry = commentable_for(model) if model is not None else None
    if entry is None or not entry.count_field:
        return
    manager = model._default_manager
    ids = list(
        manager.select_for_update().filter(pk__in=set(object_ids)).order_by("pk").values_list("pk", flat=True)
    )
    counted = (
        Comment.objects.counted()
        .filter(content_type_id=content_type_id, object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    manager.filter(pk__in=ids).update(**{entry.count_field: Coalesce(Subquery(counted), Value(0))})


def recount_after_change(comment_ids: Iterable[int]) -> None:
    """Recount everything that shows these comments, after they were deleted, hidden or restored."""
    rows = list(
        Comment.objects.filter(pk__in=set(comment_ids)).values_list(
            "parent_id", "parent__parent_id", "content_type_id", "object_id", "component_id"
        )
    )
    if not rows:
        return
    recount_replies({pk for parent, grandparent, *_rest in rows for pk in (parent, grandparent) if pk})
    # Lists and threads cached for visitors show these counts.
    for component_id in sorted({row[4] for row in rows}):
        mark_component_changed(component_id)
    resources: dict[int, set[int]] = defaultdict(set)
    for _parent, _grandparent, content_type_id, object_id, _component in rows:
        resources[content_type_id].add(object_id)
    for content_type_id, object_ids in resources.items():
        recount_resources(content_type_id, object_ids)


def lock_for_recount(comment_ids: Iterable[int]) -> dict[int, Comment]:
    """Lock these comments and the comments above them, the top ones first, as a reply
    locks its parent before anything else; returns the comments as now stored, by id."""
    comment_ids = set(comment_ids)
    above = Comment.objects.filter(pk__in=comment_ids).values_list("parent_id", "parent__parent_id")
    ids = comment_ids | {pk for pair in above for pk in pair if pk}
    rows = Comment.objects.select_for_update().filter(pk__in=ids).order_by("depth", "pk")
    return {row.pk: row for row in rows if row.pk in comment_ids}


def lock_with_ancestors(comment) -> Comment:
    return lock_for_recount([comment.pk])[comment.pk]
