"""Resources that people may comment on declare themselves here.

A component registers its resources from its ``AppConfig.ready()``::

    register_commentable(
        Proposal,
        component_of=lambda proposal: proposal.component,
        url_of=lambda proposal: proposal.get_absolute_url(),
        count_field="comment_count",  # optional: kept equal to the visible comments
    )

``component_of`` gives the component the resource belongs to: the comments' permissions
are the component's (see ``rules.py``). ``is_visible`` says whether the public may see
the resource at all; by default a resource with a ``published_at`` field must be
published and one with a ``hidden_at`` field must not be hidden. ``closed_reason``, if
given, returns why a visible resource takes no new comments (a closed debate) or None.
Registering the same
model again replaces its entry, so tests may register models of their own.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any


def _published_and_not_hidden(resource) -> bool:
    has_published_at, has_hidden_at = _visibility_fields(type(resource))
    if has_published_at and resource.published_at is None:
        return False
    return not (has_hidden_at and resource.hidden_at is not None)


@cache
def _visibility_fields(model) -> tuple[bool, bool]:
    """Whether ``model`` has ``published_at`` and ``hidden_at``: asked for each of a
    million comments when the search index is rebuilt."""
    names = {field.name for field in model._meta.get_fields()}
    return "published_at" in names, "hidden_at" in names


@dataclass(frozen=True)
class Commentable:
    model: type
    component_of: Callable[[Any], Any]
    url_of: Callable[[Any], str]
    title_of: Callable[[Any], str] = str
    is_visible: Callable[[Any], bool] = _published_and_not_hidden
    count_field: str | None = None
    closed_reason: Callable[[Any], Any] | None = None


_commentables: dict[str, Commentable] = {}


def register_commentable(
    model,
    *,
    component_of: Callable[[Any], Any],
    url_of: Callable[[Any], str],
    title_of: Callable[[Any], str] = str,
    is_visible: Callable[[Any], bool] | None = None,
    count_field: str | None = None,
    closed_reason: Callable[[Any], Any] | None = None,
) -> Commentable:
    from django.db.models.signals import post_delete

    entry = Commentable(
        model=model,
        component_of=component_of,
        url_of=url_of,
        title_of=title_of,
        is_visible=is_visible or _published_and_not_hidden,
        count_field=count_field,
        closed_reason=closed_reason,
    )
    _commentables[model._meta.label_lower] = entry
    post_delete.connect(
        _delete_comments_of, sender=model, dispatch_uid=f"civitas.comments:{model._meta.label_lower}"
    )
    return entry


def commentable_for(obj_or_model) -> Commentable | None:
    meta = getattr(obj_or_model, "_meta", None)
    return _commentables.get(meta.label_lower) if meta is not None else None


def all_commentables() -> list[Commentable]:
    return list(_commentables.values())


def _delete_comments_of(sender, instance, **kwargs) -> None:
    """A deleted resource takes its comments with it (a generic relation has no cascade)."""
    from django.contrib.contenttypes.models import ContentType

    from civitas.comments.models import Comment

    content_type = ContentType.objects.get_for_model(sender)
    Comment.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def load_commented(keys) -> dict[tuple[int, int], Any]:
    """The commented resources named by ``(content_type_id, object_id)`` keys, read a content
    type at a time (a batch of comments, not a query per comment); missing ones are absent."""
    from django.contrib.contenttypes.models import ContentType

    wanted: dict[int, set[int]] = {}
    for content_type_id, object_id in keys:
        wanted.setdefault(content_type_id, set()).add(object_id)
    loaded: dict[tuple[int, int], Any] = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        for pk, resource in model._base_manager.in_bulk(list(ids)).items():
            loaded[(content_type_id, pk)] = resource
    return loaded
