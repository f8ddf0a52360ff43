"""Comment actions. ``check_…``/``why_…`` say whether an action is allowed, ``do_…`` performs it.

Every ``do_…`` checks its permission itself, validates its input and changes nothing
when it raises ``CommentError``. Notifications are queued to run after the commit.
"""

import html
import re
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civitas.authorizations.requirements import COMMENT_ACTION, blocked_only_by_verifications
from civitas.comments.counters import lock_with_ancestors, recount_after_change
from civitas.comments.keyset import key_before
from civitas.comments.models import BODY_MAX_LENGTH, MAX_DEPTH, Alignment, Comment, CommentVote
from civitas.comments.registry import commentable_for
from civitas.comments.rules import comments_are_open
from civitas.components.freshness import mark_component_changed
from civitas.core.richtext import plain_text, sanitize_html
from civitas.notifications.services import notify_later

PAGE_SIZE = 20
REPLIES_PAGE_SIZE = 50
MAX_MENTIONS = 20
# "@nickname", not the middle of an e-mail address or of a URL.
MENTION_RE = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9_-]{3,30})")
VOTE_VALUES = {"up": CommentVote.UP, "down": CommentVote.DOWN, "none": 0}


class CommentError(Exception):
    """Bad input: the message says what to fix."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class CommentNotAllowed(CommentError):
    """The person may not do this (here, now)."""


# --- reading -------------------------------------------------------------------------------


def component_of(resource):
    entry = commentable_for(resource)
    if entry is None:
        raise CommentError(_("This cannot be commented on."))
    return entry.component_of(resource)


def comment_url(comment, resource=None) -> str:
    """Where a comment is shown: the page of the resource that holds its conversation.

    If its top-level comment is not among the first ``PAGE_SIZE``, the page's comments
    start at it (``comments_after``, see ``keyset``). A reply is shown there too, its thread
    opened (``comments_open`` names the comments whose replies the page lists at once, see
    ``threads.build_thread``), unless it lies beyond the first page of replies: then on the
    page of its parent's replies.
    """
    resource = resource if resource is not None else comment.commentable
    chain = []  # the comments above this one, the top-level one first
    parent = comment.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = parent.parent
    if chain and _replies_before(comment) >= REPLIES_PAGE_SIZE:
        return f"{reverse('comments:replies', args=[comment.parent_id])}#comment-{comment.pk}"
    top = chain[0] if chain else comment
    base = commentable_for(resource).url_of(resource)
    # Only whether the first page holds it: never more than PAGE_SIZE rows read.
    before = (
        Comment.objects.of(resource)
        .filter(depth=0, hidden_at__isnull=True)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
    )[:PAGE_SIZE]
    params = {}
    if before.count() >= PAGE_SIZE:
        params["comments_after"] = str(key_before(top))
    if chain:
        params["comments_open"] = ",".join(str(item.pk) for item in chain)
    query = ("&" if "?" in base else "?") + urlencode(params, safe=",") if params else ""
    return f"{base}{query}#comment-{comment.pk}"


def _replies_before(comment) -> int:
    """How many replies to the same comment come before this one (in the order they are
    shown), counted up to ``REPLIES_PAGE_SIZE``: only whether the first page holds it."""
    return (
        Comment.objects.filter(parent_id=comment.parent_id, hidden_at__isnull=True).filter(
            Q(created_at__lt=comment.created_at) | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )
    )[:REPLIES_PAGE_SIZE].count()


def editable_text(body: str) -> str:
    """The stored HTML as the author typed it, when it is only paragraphs and line breaks."""
    tags = re.findall(r"<\s*(/?\w+)[^>]*>", body)
    if any(tag.lower() not in ("p", "/p", "br") for tag in tags):
        return body
    text = re.sub(r"</p>\s*<p>", "\n\n", body)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</?p>", "", text)
    return html.unescape(text).strip()


# --- permissions ---------------------------------------------------------------------------


def why_cannot_comment(user, component):
    """None if the person may comment in this component, else the reason to show them."""
    if user.has_perm("comments.add_comment", component):
        return None
    if not user.is_authenticated:
        return _("Log in to take part in the conversation.")
    if not (component.is_published and component.space.is_published):
        return _("Comments are closed.")
    if not comments_are_open(user, component):
        return _("Comments are closed during this phase.")
    if user.email_confirmed_at is None:
        return _("Confirm your e-mail address to take part in the conversation.")
    if blocked_only_by_verifications(user, component, COMMENT_ACTION):
        return _("The conversation is open to verified participants: verify your account to take part.")
    return _("Only members of this space can take part in the conversation.")


def check_can_comment(user, component) -> None:
    reason = why_cannot_comment(user, component)
    if reason is not None:
        raise CommentNotAllowed(reason)


def check_can_change(user, comment) -> None:
    if comment.author_id != getattr(user, "pk", None):
        raise CommentNotAllowed(_("You can only change your own comments."))
    if comment.hidden_at is not None:
        raise CommentNotAllowed(_("This comment was hidden by moderation and can no longer be changed."))
    if comment.deleted_at is not None:
        raise CommentNotAllowed(_("This comment was deleted."))
    if not user.has_perm("comments.change_comment", comment):  # the rule decides, the above explain
        raise CommentNotAllowed(_("You can only change your own comments."))


def check_can_vote(user, comment) -> None:
    if not user.is_authenticated:
        raise CommentNotAllowed(_("Log in to vote."))
    if comment.author_id == user.pk:
        raise CommentNotAllowed(_("You cannot vote on your own comment."))
    if comment.hidden_at is not None or comment.deleted_at is not None:
        raise CommentNotAllowed(_("This comment can no longer receive votes."))
    check_can_comment(user, comment.component)


# --- input -----------------------------------------------------------------------------------


def clean_body(raw) -> str:
    raw = (raw or "").replace("\r\n", "\n").strip()
    if len(raw) > BODY_MAX_LENGTH:
        raise CommentError(
            _("Your comment is too long: %(length)s characters, %(maximum)s at most.")
            % {"length": len(raw), "maximum": BODY_MAX_LENGTH}
        )
    body = sanitize_html(raw)
    if not plain_text(body):
        raise CommentError(_("Your comment is empty."))
    return body


def clean_alignment(raw) -> str:
    if raw in (None, ""):
        return Alignment.NEUTRAL
    if raw not in Alignment.values:
        raise CommentError(_("Choose “in favour”, “against” or “no position”."))
    return raw


def _check_parent(parent, *, resource, content_type, organization_id) -> None:
    same_resource = parent.content_type_id == content_type.pk and parent.object_id == resource.pk
    if not same_resource or parent.organization_id != organization_id:
        raise CommentError(_("You can only reply to a comment of this conversation."))
    if not Comment.objects.visible().filter(pk=parent.pk).exists():
        raise CommentError(_("This comment was hidden by moderation; it cannot be answered."))
    if parent.deleted_at is not None:
        raise CommentError(_("This comment was deleted; it cannot be answered."))
    if parent.depth >= MAX_DEPTH:
        raise CommentError(
            _("Conversations go three levels deep at most: reply to the comment above instead.")
        )


# --- mentions and notifications ------------------------------------------------------------


def mentioned_nicknames(body: str) -> set[str]:
    return {nickname.lower() for nickname in MENTION_RE.findall(plain_text(body))}


# A tag of sanitized HTML; what lies between two tags is escaped text.
_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z0-9]+)")


def mention_profiles(bodies, organization_id) -> dict[str, str]:
    """The profile page of each active member of the organization @mentioned in bodies
    (sanitized HTML), by lower-case nickname: one query for a whole page of comments."""
    wanted = set()
    for body in bodies:
        pieces = _TAG.split(body or "")
        wanted |= {name.lower() for text in pieces[0::2] for name in MENTION_RE.findall(text)}
    if not wanted or organization_id is None:
        return {}
    members = (
        get_user_model()
        .objects.filter(
            _nickname_matches(sorted(wanted)[: MAX_MENTIONS * max(PAGE_SIZE, REPLIES_PAGE_SIZE)]),
            organization_id=organization_id,
            is_active=True,
            deleted_at__isnull=True,
        )
        .values_list("nickname", flat=True)
    )
    return {nickname.lower(): reverse("core:profile", args=[nickname]) for nickname in members}


def link_mentions(body: str, profiles: dict[str, str]) -> str:
    """Sanitized HTML with each @nickname found in profiles linked to that profile page.

    Works on HTML that nh3 has just written (so text holds no "<" or ">") and leaves text
    inside links alone; a mention of someone not in profiles (a stranger, nobody) stays text.
    """

    def link(match):
        url = profiles.get(match.group(1).lower())
        if url is None:
            return match.group(0)
        return f'<a class="mention" href="{html.escape(url)}">{match.group(0)}</a>'

    pieces = _TAG.split(body or "")
    depth = 0  # how many <a> elements we are inside
    for index, piece in enumerate(pieces):
        if index % 2:
            tag = _TAG_NAME.match(piece)
            if tag and tag.group(2).lower() == "a":
                depth = max(0, depth - 1) if tag.group(1) else depth + 1
        elif depth == 0 and piece:
            pieces[index] = MENTION_RE.sub(link, piece)
    return "".join(pieces)


def _nickname_matches(nicknames) -> Q:
    wanted = Q()
    for nickname in nicknames:
        wanted |= Q(nickname__iexact=nickname)
    return wanted


def _mentioned_users(nicknames, *, organization_id, component, exclude_ids):
    nicknames = sorted(nicknames)[:MAX_MENTIONS]
    if not nicknames:
        return []
    users = (
        get_user_model()
        .objects.filter(
            _nickname_matches(nicknames),
            organization_id=organization_id,
            is_active=True,
            deleted_at__isnull=True,
        )
        .exclude(pk__in=exclude_ids)
    )
    # Nobody is told about a conversation they may not read.
    return [user for user in users if user.has_perm("components.view_component", component)]


def _notify(*, comment, resource, author, mentioned, reply_to=None) -> None:
    entry = commentable_for(resource)
    params = {"author": author.public_name, "target": str(entry.title_of(resource))[:200]}
    url = comment_url(comment, resource)
    if reply_to is not None:
        notify_later(kind="comment_reply", params=params, url=url, user_ids=[reply_to.pk])
    if mentioned:
        notify_later(kind="comment_mention", params=params, url=url, user_ids=[user.pk for user in mentioned])


# --- actions ---------------------------------------------------------------------------------


@transaction.atomic
def do_add_comment(*, user, resource, body, alignment=Alignment.NEUTRAL, parent=None) -> Comment:
    entry = commentable_for(resource)
    if entry is None or not entry.is_visible(resource):
        raise CommentNotAllowed(_("This cannot be commented on."))
    component = entry.component_of(resource)
    closed = entry.closed_reason(resource) if entry.closed_reason else None
    if closed:
        raise CommentNotAllowed(closed)
    check_can_comment(user, component)
    organization_id = component.space.organization_id
    if user.organization_id != organization_id:  # implied by the rules; never rely on one check
        raise CommentNotAllowed(_("This cannot be commented on."))
    body = clean_body(body)
    alignment = clean_alignment(alignment)
    content_type = ContentType.objects.get_for_model(resource)
    if parent is not None:
        # Locked so that it cannot be deleted between the check and the reply.
        parent = Comment.objects.select_for_update().get(pk=parent.pk)  # no join: lock this row only
        _check_parent(parent, resource=resource, content_type=content_type, organization_id=organization_id)
    comment = Comment.objects.create(
        organization_id=organization_id,
        component=component,
        content_type=content_type,
        object_id=resource.pk,
        author=user,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=body,
        alignment=alignment,
    )
    if parent is not None:
        Comment.objects.filter(pk=parent.pk).update(reply_count=F("reply_count") + 1)
    if entry.count_field:
        type(resource)._default_manager.filter(pk=resource.pk).update(
            **{entry.count_field: F(entry.count_field) + 1}
        )
    reply_to = None
    if parent is not None and parent.author_id != user.pk and not parent.author.is_deleted:
        reply_to = parent.author
        if not (reply_to.is_active and reply_to.has_perm("components.view_component", component)):
            reply_to = None
    exclude = {user.pk} | ({reply_to.pk} if reply_to else set())
    mentioned = _mentioned_users(
        mentioned_nicknames(body), organization_id=organization_id, component=component, exclude_ids=exclude
    )
    _notify(comment=comment, resource=resource, author=user, mentioned=mentioned, reply_to=reply_to)
    return comment


@transaction.atomic
def do_edit_comment(*, user, comment, body, alignment=None) -> Comment:
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    check_can_change(user, comment)
    body = clean_body(body)
    alignment = comment.alignment if alignment is None else clean_alignment(alignment)
    before = mentioned_nicknames(comment.body)
    comment.body, comment.alignment, comment.edited_at = body, alignment, timezone.now()
    comment.save(update_fields=["body", "alignment", "edited_at"])
    # Only people mentioned for the first time hear about it.
    mentioned = _mentioned_users(
        mentioned_nicknames(body) - before,
        organization_id=comment.organization_id,
        component=comment.component,
        exclude_ids={user.pk},
    )
    if mentioned:
        _notify(comment=comment, resource=comment.commentable, author=user, mentioned=mentioned)
    return comment


@transaction.atomic
def do_delete_comment(*, user, comment) -> None:
    """Soft delete: the text is erased, the comment shows as deleted and its replies stay."""
    comment = lock_with_ancestors(comment)  # their reply counts are recounted below
    check_can_change(user, comment)
    comment.deleted_at = timezone.now()
    comment.body = ""
    comment.save(update_fields=["deleted_at", "body"])
    # Recounted rather than decremented: a reply inside a hidden comment was never
    # counted, and a deleted reply keeps counting for its parent while it has replies.
    recount_after_change([comment.pk])


def _current_vote(comment, user):
    return CommentVote.objects.filter(comment=comment, user=user).first()


def _count_vote(comment, *, added: int = 0, removed: int = 0) -> None:
    ups = (added == CommentVote.UP) - (removed == CommentVote.UP)
    downs = (added == CommentVote.DOWN) - (removed == CommentVote.DOWN)
    Comment.objects.filter(pk=comment.pk).update(
        ups=F("ups") + ups, downs=F("downs") + downs, score=F("score") + ups - downs
    )
    mark_component_changed(comment.component_id)


@transaction.atomic
def do_vote(*, user, comment, value: int) -> int:
    """Set the person's vote to up (1), down (-1) or none (0); returns the vote now recorded.

    Idempotent: sending the same value twice (a double click) changes nothing. Each
    change of a vote row is conditional on the value read, and the counters move only
    when that change happened, so concurrent requests can neither count twice nor lose one.
    """
    check_can_vote(user, comment)
    if value not in (CommentVote.UP, CommentVote.DOWN, 0):
        raise CommentError(_("Choose an up or a down vote."))
    for _attempt in range(3):
        current = _current_vote(comment, user)
        if current is None:
            if value == 0:
                return 0
            try:
                with transaction.atomic():
                    CommentVote.objects.create(comment=comment, user=user, value=value)
            except IntegrityError:
                continue  # the same person voted meanwhile (another tab, a double submit): read again
            _count_vote(comment, added=value)
            return value
        if current.value == value:
            return value
        if value == 0:
            deleted, _by_model = CommentVote.objects.filter(pk=current.pk, value=current.value).delete()
            if deleted:
                _count_vote(comment, removed=current.value)
                return 0
        elif CommentVote.objects.filter(pk=current.pk, value=current.value).update(value=value):
            _count_vote(comment, added=value, removed=current.value)
            return value
    raise CommentError(_("Your vote could not be saved. Please try again."))
