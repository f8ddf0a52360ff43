"""Notify people: in the platform at once, by e-mail at the pace each one chose."""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from civitas.notifications.models import Follow


def followers_of(target):
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(content_type=content_type, object_id=target.pk).values_list(
        "user_id", flat=True
    )


def notify_followers(space_or_resource, *, kind: str, target, url: str, extra: dict | None = None) -> None:
    """Queue one notification per follower; delivered after the surrounding transaction commits."""
    space = getattr(space_or_resource, "space", space_or_resource)
    params = {"space": space.title, "target": str(target), **(extra or {})}
    content_type = ContentType.objects.get_for_model(space_or_resource)
    notify_later(kind=kind, params=params, url=url, follow_target=(content_type.pk, space_or_resource.pk))


def notify_later(*, kind: str, params: dict, url: str, user_ids=(), follow_target=None) -> None:
    from civitas.notifications.tasks import deliver_notifications

    event_id = str(uuid.uuid4())
    transaction.on_commit(
        lambda: deliver_notifications(
            event_id=event_id,
            kind=kind,
            params=params,
            url=url,
            user_ids=list(user_ids),
            follow_target=follow_target,
        )
    )


def is_following(user, target) -> bool:
    if not user.is_authenticated:
        return False
    content_type = ContentType.objects.get_for_model(target)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=target.pk).exists()


def do_toggle_follow(user, target) -> bool:
    """Follow or stop following; returns whether the user now follows."""
    content_type = ContentType.objects.get_for_model(target)
    follow, created = Follow.objects.get_or_create(user=user, content_type=content_type, object_id=target.pk)
    if not created:
        follow.delete()
    return created
