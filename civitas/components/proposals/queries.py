"""The proposal list: filters and orders that stay fast at any size."""

import random

from django.db.models import F, Q

from civitas.components.proposals.models import Proposal, Support
from civitas.core.params import parse_id

ORDERS = ("random", "recent", "most_supported", "most_commented")
_PRIME = 2_147_483_647  # modulus of the stable pseudo-random order


def proposal_list(component, user, *, state="", tag="", mine=False, text="", order="random", seed=1):
    proposals = (
        Proposal.objects.visible().filter(component=component).select_related("author", "custom_state")
    )
    if state in Proposal.State.values:
        proposals = proposals.filter(state=state)
    else:
        proposals = proposals.exclude(state=Proposal.State.WITHDRAWN)
    if tag_id := parse_id(tag):
        proposals = proposals.filter(tags__pk=tag_id)
    if mine and user.is_authenticated:
        proposals = proposals.filter(author=user)
    if text:
        proposals = proposals.filter(Q(title__icontains=text) | Q(body__icontains=text))
    if order == "recent":
        return proposals.order_by("-published_at", "-pk")
    if order == "most_supported":
        return proposals.order_by("-support_count", "-published_at", "-pk")
    if order == "most_commented":
        return proposals.order_by("-comment_count", "-published_at", "-pk")
    return proposals.annotate(shuffle=_shuffle_key(seed)).order_by("shuffle", "pk")


def _shuffle_key(seed: int):
    """A pseudo-random key per proposal, the same for one seed on every page and request.

    The id goes through an affine map modulo a prime, then is squared modulo that prime:
    the affine map alone would only cut the ids into arithmetic runs (1, 4358, 8715, 2 …),
    the square scatters them. Everything stays in 64-bit integer arithmetic, which SQLite
    and PostgreSQL compute natively over the whole table without a function call per row.
    """
    rng = random.Random(seed)
    scale, shift = rng.randrange(1 << 20, _PRIME), rng.randrange(_PRIME)
    spread = (F("pk") * scale + shift) % _PRIME
    return (spread * spread) % _PRIME


def mark_supported(proposals, user) -> None:
    """Set ``supported_by_me`` on a page of proposals, in one query for the whole page.

    Asked of the page rather than annotated on the list: the database would otherwise
    evaluate the subquery for every proposal it sorts, not only for the twenty shown.
    """
    proposals = list(proposals)
    mine = set()
    if user.is_authenticated and proposals:
        mine = set(
            Support.objects.filter(
                user=user, proposal_id__in=[proposal.pk for proposal in proposals]
            ).values_list("proposal_id", flat=True)
        )
    for proposal in proposals:
        proposal.supported_by_me = proposal.pk in mine
