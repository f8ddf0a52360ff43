"""What a metropolis's portal may show of its communes: their public, published spaces.

Each commune stays its own tenant (host, admins, accounts, data). The portal reads only
what any anonymous visitor of the commune's own site could already see, so it can never
reveal more than the commune publishes: the same rule as the commune's spaces list for a
visitor who is not logged in (private spaces and unpublished ones never appear).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from civitas.organizations.models import Organization
from civitas.spaces.models import Space
from civitas.spaces.views import period_filter


def communes_of(organization) -> list[Organization]:
    return list(Organization.objects.filter(parent=organization).order_by("name"))


def public_spaces_of_communes(parent, *, commune_id: int | None = None, text: str = "", period: str = "all"):
    spaces = Space.objects.filter(organization__parent=parent).listed_for(AnonymousUser())
    if commune_id is not None:
        spaces = spaces.filter(organization_id=commune_id)
    for word in text.split()[:8]:
        spaces = spaces.filter(
            Q(title__icontains=word) | Q(subtitle__icontains=word) | Q(description__icontains=word)
        )
    spaces = spaces.filter(period_filter(period, timezone.localdate()))
    return spaces.select_related("organization", "active_phase").order_by(
        "organization__name", "position", "pk"
    )
