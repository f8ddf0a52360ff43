"""Pages of comments, built with a constant number of queries whatever their length.

Authors come with the comments (one join), the reader's own votes are a subquery in
the same SELECT, and reply counts are a column: rendering a page never asks more.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse

from civitas.comments.models import BODY_MAX_LENGTH, MAX_DEPTH, Alignment, Comment, CommentVote
from civitas.comments.registry import commentable_for
from civitas.comments.services import PAGE_SIZE, REPLIES_PAGE_SIZE, mention_profiles, why_cannot_comment

ORDERS = ("oldest", "best")
ORDERINGS = {"oldest": ("created_at", "pk"), "best": ("-score", "created_at", "pk")}


def with_reader_data(comments, user):
    """Comments with their author and the reader's vote (``my_vote``: 1, -1 or None)."""
    comments = comments.select_related("author")
    if user.is_authenticated:
        mine = CommentVote.objects.filter(comment=OuterRef("pk"), user=user).values("value")[:1]
        comments = comments.annotate(my_vote=Subquery(mine))
    return comments


def mark_abilities(comments, user, *, can_add: bool) -> list:
    """What the reader may do with each comment, decided without a query, and the profiles
    of the people they @mention (one query, only when someone is mentioned)."""
    comments = list(comments)
    profiles = mention_profiles(
        [comment.body for comment in comments], comments[0].organization_id if comments else None
    )
    user_id = user.pk if user.is_authenticated else None
    for comment in comments:
        if not hasattr(comment, "my_vote"):
            comment.my_vote = None
        own = user_id is not None and comment.author_id == user_id
        alive = comment.deleted_at is None and comment.hidden_at is None
        comment.can_reply = can_add and alive and comment.can_have_replies
        comment.can_vote = can_add and alive and not own
        comment.can_change = own and alive
        comment.mention_profiles = profiles
    return comments


@dataclass
class Conversation:
    """What the templates need to show comments of one resource and let people take part."""

    resource: Any
    component: Any
    resource_url: str
    content_type_id: int
    can_add: bool
    cannot_add_reason: Any
    form_options: dict = field(
        default_factory=lambda: {"max_length": BODY_MAX_LENGTH, "alignments": Alignment.choices}
    )


def conversation_for(user, resource, component=None) -> Conversation | None:
    """None if the reader may not see the resource's comments."""
    entry = commentable_for(resource)
    if entry is None:
        return None
    component = component if component is not None else entry.component_of(resource)
    if not user.has_perm("comments.view_comments", component) or not entry.is_visible(resource):
        return None
    closed = entry.closed_reason(resource) if entry.closed_reason else None
    reason = closed or why_cannot_comment(user, component)
    return Conversation(
        resource=resource,
        component=component,
        resource_url=entry.url_of(resource),
        content_type_id=ContentType.objects.get_for_model(resource).pk,
        can_add=reason is None,
        cannot_add_reason=reason,
    )


@dataclass
class Thread:
    conversation: Conversation
    page: Page
    order: str
    total: int
    order_urls: dict
    previous_url: str
    next_url: str
    return_to: str

    def __getattr__(self, name):  # thread.can_add, thread.resource_url… come from the conversation
        if name.startswith("_") or name == "conversation":
            raise AttributeError(name)
        return getattr(self.conversation, name)


def _url(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    query = params.urlencode()
    return f"{request.path}{'?' + query if query else ''}#comments"


def build_thread(request, resource) -> Thread | None:
    user = request.user
    conversation = conversation_for(user, resource)
    if conversation is None:
        return None
    order = request.GET.get("comments_order", "oldest")
    order = order if order in ORDERS else "oldest"
    # One query counts both what the heading shows (the comments one can read, as the
    # resource's counter does) and what the paginator needs (deleted ones keep their place).
    counts = (
        Comment.objects.of(resource)
        .visible()
        .aggregate(
            total=Count("pk", filter=Q(deleted_at__isnull=True)),
            top_level=Count("pk", filter=Q(depth=0)),
        )
    )
    top_level = Comment.objects.of(resource).filter(depth=0, hidden_at__isnull=True)
    top_level = with_reader_data(top_level, user).order_by(*ORDERINGS[order])
    paginator = Paginator(top_level, PAGE_SIZE)
    paginator.count = counts["top_level"]
    page = paginator.get_page(request.GET.get("comments_page"))
    page.object_list = mark_abilities(page.object_list, user, can_add=conversation.can_add)
    return_to = request.get_full_path()
    _open_threads(request, conversation, page.object_list, _open_ids(request), return_to)
    return Thread(
        conversation=conversation,
        page=page,
        order=order,
        total=counts["total"],
        order_urls={
            value: _url(request, comments_order=None if value == "oldest" else value, comments_page=None)
            for value in ORDERS
        },
        previous_url=_url(request, comments_page=str(page.previous_page_number()))
        if page.has_previous()
        else "",
        next_url=_url(request, comments_page=str(page.next_page_number())) if page.has_next() else "",
        return_to=return_to,
    )


def _open_ids(request) -> set[int]:
    """The comments whose replies the page shows at once: ``?comments_open=12,34``.

    Set by ``services.comment_url``, so that after replying one lands back on the page of
    the resource with the new reply in view, without JavaScript.
    """
    values = request.GET.get("comments_open", "").split(",")[:MAX_DEPTH]
    return {int(value) for value in values if value.isdigit() and len(value) < 12}


def _open_threads(request, conversation, comments, open_ids, return_to) -> None:
    """Give each of comments named in open_ids its first page of replies (``open_replies``)."""
    for comment in comments:
        if comment.pk in open_ids and comment.can_have_replies and comment.hidden_at is None:
            replies = build_replies(request, comment, conversation, page_number=1)
            replies.return_to = return_to  # votes and deletions come back to this page
            comment.open_replies = replies
            _open_threads(request, conversation, replies.page.object_list, open_ids - {comment.pk}, return_to)


@dataclass
class Replies:
    conversation: Conversation
    parent: Comment
    page: Page
    next_url: str
    return_to: str

    def __getattr__(self, name):
        if name.startswith("_") or name == "conversation":
            raise AttributeError(name)
        return getattr(self.conversation, name)


def build_replies(request, parent, conversation, *, page_number=None) -> Replies:
    user = request.user
    replies = with_reader_data(parent.replies.filter(hidden_at__isnull=True), user).order_by(
        *ORDERINGS["oldest"]
    )
    page = Paginator(replies, REPLIES_PAGE_SIZE).get_page(page_number or request.GET.get("page"))
    page.object_list = mark_abilities(page.object_list, user, can_add=conversation.can_add)
    url = reverse("comments:replies", args=[parent.pk])
    return Replies(
        conversation=conversation,
        parent=parent,
        page=page,
        next_url=f"{url}?page={page.next_page_number()}" if page.has_next() else "",
        return_to=url + (f"?page={page.number}" if page.number > 1 else ""),
    )
