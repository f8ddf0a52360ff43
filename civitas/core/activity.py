"""Which accounts have taken part, so that silent ones stay out of search engines.

A profile page of someone who never published anything is a favourite of spammers
(a name and a personal URL, indexed for free) and tells nobody anything. Apps that
publish on behalf of people register an *activity source*: a function that, given an
organization, returns a queryset of the ids of users who have published something
there that anyone can read (``in_public_components``), e.g. in ``AppConfig.ready()``::

    activity.register_activity_source(
        lambda organization: Proposal.objects.published()
        .filter(component__space__organization=organization)
        .filter(in_public_components())
        .values("author_id")
    )

With no source registered, every account counts as inactive.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

ActivitySource = Callable[[object], QuerySet]

_sources: list[ActivitySource] = []


def in_public_components(component: str = "component") -> Q:
    """Contributions anyone can read: in a published component of a published space that is
    not private. Sources filter on it: a comment in a private space made its author's profile
    findable in search and left it out of robots.txt's exclusions (found from outside)."""
    return Q(
        **{f"{component}__published_at__isnull": False, f"{component}__space__published_at__isnull": False}
    ) & ~Q(**{f"{component}__space__visibility": "private"})


def register_activity_source(source: ActivitySource) -> ActivitySource:
    """Add a source (usable as a decorator); registering twice has no effect."""
    if source not in _sources:
        _sources.append(source)
    return source


def unregister_activity_source(source: ActivitySource) -> None:
    if source in _sources:
        _sources.remove(source)


def inactive_profiles(organization) -> QuerySet:
    """Visible accounts of organization that no source reports as active.

    Each source becomes a subquery, so this stays one query however many people there are.
    """
    users = get_user_model().objects
    profiles = users.filter(organization=organization, is_active=True, deleted_at__isnull=True)
    for source in _sources:
        # Re-selected through the user table so that a NULL id in the source (an author
        # set to NULL on deletion) cannot turn "NOT IN" into "nobody" as SQL would.
        active = users.filter(pk__in=source(organization)).values("pk")
        profiles = profiles.exclude(pk__in=active)
    return profiles


def has_activity(user) -> bool:
    return not inactive_profiles(user.organization).filter(pk=user.pk).exists()


def active_among(organization, user_ids) -> set[int]:
    """Which of ``user_ids`` (accounts of ``organization``) have taken part, in one query per
    source for the whole batch, where :func:`has_activity` costs one per account.

    Each source is asked only about the batch's accounts (``id IN batch AND id IN source``),
    which the database answers from the sources' author indexes: the "not in any source"
    form of :func:`inactive_profiles` read every comment and proposal of the organization,
    a second per search page at national volume. Accounts that are not visible (deleted,
    deactivated) are not inactive profiles, as there.
    """
    ids = set(user_ids)
    users = get_user_model().objects
    silent = set(
        users.filter(
            organization=organization, is_active=True, deleted_at__isnull=True, pk__in=ids
        ).values_list("pk", flat=True)
    )
    for source in _sources:
        if not silent:
            break
        silent -= set(
            users.filter(pk__in=silent).filter(pk__in=source(organization)).values_list("pk", flat=True)
        )
    return ids - silent
