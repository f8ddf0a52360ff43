"""Who receives a newsletter: its chosen audience, always within those who consent.

Every selection is a filter on the set of consenting accounts, never a set of its own,
so no audience can reach someone who did not opt in.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q

from civitas.authorizations.models import Authorization
from civitas.newsletters.models import Audience
from civitas.notifications.models import Follow
from civitas.spaces.models import Space
from civitas.stats.registry import all_participations


def consenting(organization):
    """Active accounts of the organization with a confirmed address who opted in, minus
    addresses stopped after repeated hard bounces."""
    return (
        get_user_model()
        .objects.filter(
            organization=organization,
            is_active=True,
            deleted_at__isnull=True,
            email_confirmed_at__isnull=False,
            newsletter_consent__consented_at__isnull=False,
        )
        .exclude(newsletter_consent__suppressed_email=F("email"))
    )


def _followers(space_ids):
    space_type = ContentType.objects.get_for_model(Space)
    return Follow.objects.filter(content_type=space_type, object_id__in=space_ids).values("user_id")


def _participants(space_ids) -> Q:
    condition = Q(pk__in=[])
    for action in all_participations():
        rows = action.queryset().filter(**{f"{action.space_field}__in": space_ids})
        condition |= Q(pk__in=rows.values(action.user_field))
    return condition


def recipients(organization, *, audience: str, space_ids=(), handler: str = ""):
    """The accounts a newsletter with these settings goes to (a queryset, nothing loaded)."""
    people = consenting(organization)
    space_ids = list(
        Space.objects.filter(organization=organization, pk__in=list(space_ids)).values_list("pk", flat=True)
    )
    if audience == Audience.FOLLOWERS:
        return people.filter(pk__in=_followers(space_ids))
    if audience == Audience.PARTICIPANTS:
        return people.filter(_participants(space_ids))
    if audience == Audience.VERIFIED:
        granted = Authorization.objects.filter(organization=organization, handler=handler)
        return people.filter(pk__in=granted.values("user_id"))
    if audience == Audience.ALL:
        return people
    raise ValueError(f"unknown audience {audience!r}")


def recipients_of(newsletter):
    return recipients(
        newsletter.organization,
        audience=newsletter.audience,
        space_ids=newsletter.spaces.values_list("pk", flat=True),
        handler=newsletter.handler,
    )
