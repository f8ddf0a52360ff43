"""Search registrations for the core resources: spaces, comments, public profiles.

Components register their own resources from their ``AppConfig.ready()``
(see ``registry.py``); the helpers here (``comments_of``, ``author_is_visible``) are
meant for them too.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.search.registry import Document, register_searchable


def author_is_visible(user) -> bool:
    """Contributions of blocked (inactive) or deleted accounts never show in search."""
    return user is None or account_is_visible(user.is_active, user.deleted_at)


def account_is_visible(is_active: bool, deleted_at) -> bool:
    """``author_is_visible`` from the account's two columns, read without loading it."""
    return is_active and deleted_at is None


def _comments_for_search(comments):
    """Comments with what their entry needs and nothing more. A national rebuild builds a
    million entries: the author, the parent and the grandparent used to be loaded as whole
    instances for one or two columns each (4.6 model instances and 11 datetimes per comment,
    most of a comment entry's CPU); they are read as columns of the same query."""
    return comments.only(
        "organization_id",
        "component_id",
        "content_type_id",
        "object_id",
        "author_id",
        "parent_id",
        "body",
        "created_at",
        "deleted_at",
        "hidden_at",
    ).annotate(
        search_author_active=F("author__is_active"),
        search_author_deleted_at=F("author__deleted_at"),
        search_parent_hidden_at=F("parent__hidden_at"),
        search_grandparent_hidden_at=F("parent__parent__hidden_at"),
    )


def comments_of(resource):
    """Dependents hook for commentable resources: their comments follow their visibility."""
    from civitas.comments.models import Comment

    return _comments_for_search(Comment.objects.of(resource))


def _space_document(space):
    text = " ".join(
        plain_text(part) for part in (space.subtitle, space.description, space.purpose, space.composition)
    )
    return Document(
        organization_id=space.organization_id,
        space=space,
        title=space.title,
        text=text,
        url=reverse("spaces:detail", args=[space.slug]),
        date=space.published_at,
    )


def _update_space_facets(space):
    from civitas.search.indexing import update_space_facets

    update_space_facets(space)


@dataclass(frozen=True)
class _CommentBatch:
    """What every comment of a batch shares: its components (a few dozen for a million
    comments), and the title and link patterns, translated and reversed once."""

    components: dict
    title: str
    permalink: str


def _comment_document(comment):
    from civitas.comments.registry import commentable_for

    resource = comment.search_resource
    described = commentable_for(resource) if resource is not None else None
    if described is None:
        return None
    batch = comment.search_batch
    component = batch.components[comment.component_id]
    hidden = (
        comment.hidden_at is not None
        or comment.deleted_at is not None
        or comment.search_parent_hidden_at is not None
        or comment.search_grandparent_hidden_at is not None
        or not component.is_published
        or not described.is_visible(resource)
        or not account_is_visible(comment.search_author_active, comment.search_author_deleted_at)
    )
    return Document(
        organization_id=comment.organization_id,
        space=component.space,
        title=batch.title % {"title": described.title_of(resource)},
        indexed_title="",
        text=plain_text(comment.body),
        url=batch.permalink.replace(_PK_MARK, str(comment.pk)) if not hidden else described.url_of(resource),
        hidden=hidden,
        author_id=comment.author_id,
        date=comment.created_at,
    )


# An id no comment will have, reversed once per batch and replaced by each comment's own.
_PK_MARK = str(2**62 + 12345)


def _prepare_comments(comments: list) -> None:
    """What a batch of comments needs, read together: the commented resources (one by one
    they were a query per comment, a million at national scale) and the components."""
    from civitas.comments.registry import load_commented
    from civitas.components.models import Component

    loaded = load_commented((comment.content_type_id, comment.object_id) for comment in comments)
    batch = _CommentBatch(
        components=Component.objects.select_related("space").in_bulk(
            {comment.component_id for comment in comments}
        ),
        title=gettext("Comment on “%(title)s”"),
        permalink=reverse("comments:permalink", args=[int(_PK_MARK)]),
    )
    for comment in comments:
        comment.search_batch = batch
        # Not through the generic relation, whose every read looks its content type up again.
        comment.search_resource = loaded.get((comment.content_type_id, comment.object_id))


def _comment_replies(comment):
    return _comments_for_search(comment.replies.all())


def _profile_document(user):
    from civitas.core import activity

    if user.organization_id is None:
        return None
    active = getattr(user, "search_active", None)  # read for the whole batch by _prepare_profiles
    if active is None:
        active = activity.has_activity(user)
    hidden = not author_is_visible(user) or not active
    return Document(
        organization_id=user.organization_id,
        title=f"{user.name} (@{user.nickname})",
        text=user.about,
        url=reverse("core:profile", args=[user.nickname]),
        hidden=hidden,
        date=user.date_joined,
    )


def _prepare_profiles(users: list) -> None:
    """Whether each account has taken part, in one query per organization for the batch."""
    from civitas.core import activity

    by_organization: dict[int, list[int]] = {}
    for user in users:
        by_organization.setdefault(user.organization_id, []).append(user.pk)
    active: set[int] = set()
    for organization_id, ids in by_organization.items():
        if organization_id is not None:
            active |= activity.active_among(organization_id, ids)
    for user in users:
        user.search_active = user.pk in active


def register_core_resources() -> None:
    from civitas.comments.models import Comment
    from civitas.spaces.models import Space

    register_searchable(
        "space",
        _("Spaces"),
        Space,
        document=_space_document,
        queryset=Space.objects.all,
        organization_field="organization",
        after_index=_update_space_facets,
        position=10,
        date_field="published_at",
    )
    register_searchable(
        "comment",
        _("Comments"),
        Comment,
        document=_comment_document,
        queryset=lambda: _comments_for_search(Comment.objects.all()),
        organization_field="organization",
        component_field="component",
        dependents=_comment_replies,
        position=80,
        prepare=_prepare_comments,
        date_field="created_at",
    )
    register_searchable(
        "profile",
        _("Participants"),
        get_user_model(),
        document=_profile_document,
        queryset=lambda: get_user_model().objects.filter(organization__isnull=False),
        organization_field="organization",
        position=90,
        prepare=_prepare_profiles,
        date_field="date_joined",
    )
