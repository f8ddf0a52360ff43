"""Permissions on comments, as django-rules predicates.

On a component: ``comments.view_comments`` and ``comments.add_comment``. On a comment:
``comments.change_comment``, ``comments.delete_comment`` and ``comments.vote_comment``.
"""

import rules

from civitas.authorizations.requirements import COMMENT_ACTION, guarded

COMMENTS_SETTING = "comments_enabled"


@rules.predicate
def may_view_the_component(user, component) -> bool:
    return user.has_perm("components.view_component", component)


@rules.predicate
def participates_in_the_space(user, component) -> bool:
    return user.has_perm("spaces.participate_in_space", component.space)


@rules.predicate
def component_is_published(user, component) -> bool:
    return component.is_published


def declares_comment_switch(component) -> bool:
    manifest = component.manifest
    return manifest is not None and any(
        setting.name == COMMENTS_SETTING for setting in manifest.phase_settings
    )


@rules.predicate
def comments_are_open(user, component) -> bool:
    """On in the active phase if the component type has the per-phase switch, else always on."""
    if not declares_comment_switch(component):
        return True
    return bool(component.active_phase_settings().get(COMMENTS_SETTING))


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_is_hidden(user, comment) -> bool:
    return comment.hidden_at is not None


@rules.predicate
def comment_is_deleted(user, comment) -> bool:
    return comment.deleted_at is not None


@rules.predicate
def may_comment_in_its_component(user, comment) -> bool:
    return user.has_perm("comments.add_comment", comment.component)


can_add_comment = guarded(
    "comments.add_comment",
    COMMENT_ACTION,
    participates_in_the_space & component_is_published & comments_are_open,
)

rules.add_perm("comments.view_comments", may_view_the_component)
rules.add_perm("comments.add_comment", can_add_comment)
rules.add_perm("comments.change_comment", is_comment_author & ~comment_is_hidden & ~comment_is_deleted)
rules.add_perm("comments.delete_comment", is_comment_author & ~comment_is_hidden & ~comment_is_deleted)
rules.add_perm(
    "comments.vote_comment",
    may_comment_in_its_component & ~is_comment_author & ~comment_is_hidden & ~comment_is_deleted,
)
