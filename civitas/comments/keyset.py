"""Where a page of top-level comments starts: keyset pagination, never OFFSET.

A page is "the next PAGE_SIZE comments after this sort key", the key being the last comment
shown: ``(created_at, id)`` oldest first, ``(-score, created_at, id)`` best rated first. The
database walks its index from the key (``comment_thread_idx``, ``comment_best_idx``), so the
200th page costs what the first does, and the id settles equal dates or scores: two pages
never share nor skip a comment. (Best rated first, a comment whose score changes while
someone reads may move across the page they stand at: shown twice, or not met. Offsets
would do the same with every vote above it.)

The key travels in the page's address as ``comments_after``: ``<µs since 1970>_<id>`` oldest
first, ``<score>_<µs since 1970>_<id>`` best rated first.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q

ORDERS = ("oldest", "best")
ORDERINGS = {"oldest": ("created_at", "pk"), "best": ("-score", "created_at", "pk")}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Key:
    """The sort key of one comment in one order (``score`` only counts best rated first)."""

    order: str
    created_at: datetime
    pk: int
    score: int = 0

    def __str__(self) -> str:
        micros = (self.created_at - EPOCH) // MICROSECOND
        parts = (self.score, micros, self.pk) if self.order == "best" else (micros, self.pk)
        return "_".join(str(part) for part in parts)


def key_of(comment, order: str) -> Key:
    return Key(order=order, created_at=comment.created_at, pk=comment.pk, score=comment.score)


def key_before(comment, order: str = "oldest") -> Key:
    """The key a page starting at ``comment`` continues from: its own key with the id just
    below (ids are integers: no comment lies between the two)."""
    return Key(order=order, created_at=comment.created_at, pk=comment.pk - 1, score=comment.score)


def parse_key(value: str, order: str) -> Key | None:
    """The key written by ``str(Key)``, or None for anything else (the first page is shown)."""
    parts = value.split("_")
    if len(parts) != (3 if order == "best" else 2) or any(len(part) > 19 for part in parts):
        return None
    try:
        numbers = [int(part) for part in parts]
        created_at = EPOCH + numbers[-2] * MICROSECOND
    except (ValueError, OverflowError):
        return None
    if numbers[-1] < 0 or numbers[-2] < 0:
        return None
    return Key(order=order, created_at=created_at, pk=numbers[-1], score=numbers[0] if order == "best" else 0)


def after(comments, key: Key):
    """The comments that come after ``key`` in its order (to be sorted by ``ORDERINGS[order]``).

    The first, redundant bound (``created_at >= …``, ``score <= …``) is a plain range the
    database starts its index scan from; the rest settles the comments sharing it.
    """
    later = Q(created_at__gt=key.created_at) | Q(created_at=key.created_at, pk__gt=key.pk)
    if key.order == "best":
        return comments.filter(Q(score__lte=key.score), Q(score__lt=key.score) | (Q(score=key.score) & later))
    return comments.filter(Q(created_at__gte=key.created_at), later)
