"""Content versions: when a component's public pages may be served from the cache.

Every change that alters what a visitor sees on a component's pages bumps the
component's ``content_version`` in the same transaction, so a cached page can never
outlive the data it shows. Saves and deletes of any model that carries a ``component``
(proposals, supports, comments, custom states …) or a ``space`` (tags, phases,
moderation decisions …) are caught by signal; the few bulk ``update()`` calls that
bypass signals (comment votes, blocking an account) call the functions below.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from civitas.components.models import Component


def mark_component_changed(component_id: int) -> None:
    Component.objects.filter(pk=component_id).update(content_version=F("content_version") + 1)


def mark_space_changed(space_id: int) -> None:
    Component.objects.filter(space_id=space_id).update(content_version=F("content_version") + 1)


def mark_organization_changed(organization_id: int) -> None:
    """For rare acts that reach everywhere at once, such as blocking an account."""
    Component.objects.filter(space__organization_id=organization_id).update(
        content_version=F("content_version") + 1
    )


# Models that carry a space or component but never show on its pages (the search index):
# their saves must not empty the space's page cache nor lock every component row of the
# space. Two task consumers reindexing one space deadlocked on those rows (issue 21).
_NOT_SHOWN_ON_PAGES: set[type] = set()


def not_shown_on_pages(model: type) -> None:
    """Declare that saving or deleting ``model`` changes nothing a component's page shows."""
    _NOT_SHOWN_ON_PAGES.add(model)


def _on_change(sender, instance, **kwargs) -> None:
    if sender is Component or sender in _NOT_SHOWN_ON_PAGES:
        return
    component_id = getattr(instance, "component_id", None)
    if component_id is not None:
        mark_component_changed(component_id)
        return
    space_id = getattr(instance, "space_id", None)
    if space_id is not None:
        mark_space_changed(space_id)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="components.freshness.save")
    post_delete.connect(_on_change, dispatch_uid="components.freshness.delete")
