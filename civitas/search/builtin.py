"""Search registrations for the core resources: spaces, comments, public profiles.

Components register their own resources from their ``AppConfig.ready()``
(see ``registry.py``); the helpers here (``comments_of``, ``author_is_visible``) are
meant for them too.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civitas.core.richtext import plain_text
from civitas.search.registry import Document, register_searchable


def author_is_visible(user) -> bool:
    """Contributions of blocked (inactive) or deleted accounts never show in search."""
    return user is None or (user.is_active and user.deleted_at is None)


def comments_of(resource):
    """Dependents hook for commentable resources: their comments follow their visibility."""
    from civitas.comments.models import Comment

    return Comment.objects.of(resource).select_related("author", "component__space", "parent__parent")


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


def _comment_document(comment):
    from civitas.comments.registry import commentable_for

    resource = comment.commentable
    described = commentable_for(resource) if resource is not None else None
    if described is None:
        return None
    component = comment.component
    parent = comment.parent
    grandparent = parent.parent if parent is not None else None
    hidden = (
        comment.hidden_at is not None
        or comment.deleted_at is not None
        or (parent is not None and parent.hidden_at is not None)
        or (grandparent is not None and grandparent.hidden_at is not None)
        or not component.is_published
        or not described.is_visible(resource)
        or not author_is_visible(comment.author)
    )
    return Document(
        organization_id=comment.organization_id,
        space=component.space,
        title=str(_("Comment on “%(title)s”") % {"title": described.title_of(resource)}),
        indexed_title="",
        text=plain_text(comment.body),
        url=reverse("comments:permalink", args=[comment.pk]) if not hidden else described.url_of(resource),
        hidden=hidden,
        author_id=comment.author_id,
        date=comment.created_at,
    )


def _prepare_comments(comments: list) -> None:
    """The commented resources of a batch, read together: one by one they were a query per
    comment (a million at national scale)."""
    from civitas.comments.registry import load_commented

    loaded = load_commented((comment.content_type_id, comment.object_id) for comment in comments)
    for comment in comments:
        resource = loaded.get((comment.content_type_id, comment.object_id))
        if resource is not None:
            comment.commentable = resource  # cached by the generic relation: no query when read


def _comment_replies(comment):
    return comment.replies.select_related("author", "component__space", "parent__parent")


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
    )
    register_searchable(
        "comment",
        _("Comments"),
        Comment,
        document=_comment_document,
        queryset=lambda: Comment.objects.select_related("author", "component__space", "parent__parent"),
        organization_field="organization",
        component_field="component",
        dependents=_comment_replies,
        position=80,
        prepare=_prepare_comments,
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
    )
