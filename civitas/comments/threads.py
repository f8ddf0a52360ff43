"""Pages of comments, built with a constant number of queries whatever their length.

Authors come with the comments (one join), the reader's own votes are a subquery in
the same SELECT, reply counts and the resource's comment count are columns, and a page
starts from the sort key of the previous one (``keyset``): rendering a page never asks
more, and never reads the comments before it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Subquery
from django.http import QueryDict
from django.urls import reverse

from civitas.comments.keyset import ORDERINGS, ORDERS, after, key_of, parse_key
from civitas.comments.models import BODY_MAX_LENGTH, MAX_DEPTH, Alignment, Comment, CommentVote
from civitas.comments.registry import commentable_for
from civitas.comments.services import PAGE_SIZE, REPLIES_PAGE_SIZE, mention_profiles, why_cannot_comment


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
    """One page of top-level comments (see ``keyset``) and the links around it."""

    conversation: Conversation
    comments: list
    order: str
    total: int  # the resource's comment counter: every visible comment, replies included
    sortable: bool
    order_urls: dict
    first_url: str  # when this page continues earlier ones: back to the first comments
    next_url: str  # the next comments, as a page of their own (without JavaScript)
    more_url: str  # the same comments, to append in place (htmx)
    return_to: str

    def __getattr__(self, name):  # thread.can_add, thread.resource_url… come from the conversation
        if name.startswith("_") or name == "conversation":
            raise AttributeError(name)
        return getattr(self.conversation, name)


def _with_params(path: str, params: QueryDict, anchor: str = "comments", **changes) -> str:
    params = params.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    query = params.urlencode(safe=",")
    return f"{path}{'?' + query if query else ''}#{anchor}"


def _total(resource) -> int:
    """What the heading shows: the resource's counter (``counters`` keeps it equal to the
    visible comments); counted only for a resource registered without one."""
    count_field = commentable_for(resource).count_field
    if count_field:
        return getattr(resource, count_field)
    return Comment.objects.of(resource).counted().count()


def build_thread(request, resource, *, conversation=None, appended=False) -> Thread | None:
    """The page of top-level comments ``request`` asks for: the first one, or the one after
    ``?comments_after=`` (see ``keyset``), oldest or best rated first (``?comments_order=``).

    ``appended``: the page is added by htmx under the comments already shown on the
    resource's page (``views.comment_list``); its links and forms lead to that page.
    """
    user = request.user
    conversation = conversation or conversation_for(user, resource)
    if conversation is None:
        return None
    order = request.GET.get("comments_order", "oldest")
    order = order if order in ORDERS else "oldest"
    start = parse_key(request.GET.get("comments_after", ""), order)
    top_level = Comment.objects.of(resource).filter(depth=0, hidden_at__isnull=True)
    if start is not None:
        top_level = after(top_level, start)
    # One more than a page: whether there is a next page, without counting.
    rows = list(with_reader_data(top_level, user).order_by(*ORDERINGS[order])[: PAGE_SIZE + 1])
    comments = mark_abilities(rows[:PAGE_SIZE], user, can_add=conversation.can_add)
    following = str(key_of(comments[-1], order)) if len(rows) > PAGE_SIZE else None

    if appended:  # links and forms of the appended comments lead to the resource's page
        path, params = conversation.resource_url.split("?")[0], QueryDict(mutable=True)
        if order != "oldest":
            params["comments_order"] = order
        if start is not None:
            params["comments_after"] = str(start)
        return_to = _with_params(path, params).split("#")[0]
    else:
        path, params, return_to = request.path, request.GET, request.get_full_path()
        _open_threads(request, conversation, comments, _open_ids(request), return_to)
    more = QueryDict(mutable=True)
    if following is not None:
        more.update({"comments_order": order, "comments_after": following})
    list_url = reverse("comments:list", args=[conversation.content_type_id, resource.pk])
    return Thread(
        conversation=conversation,
        comments=comments,
        order=order,
        total=_total(resource),
        sortable=start is not None or len(rows) > 1,
        order_urls={
            value: _with_params(
                path, params, comments_order=None if value == "oldest" else value, comments_after=None
            )
            for value in ORDERS
        },
        first_url=_with_params(path, params, comments_after=None) if start is not None else "",
        next_url=(
            _with_params(path, params, comments_after=following, comments_open=None) if following else ""
        ),
        more_url=f"{list_url}?{more.urlencode()}" if following else "",
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
