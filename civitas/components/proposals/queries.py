"""The proposal list: filters and orders that stay fast at any size."""

import hashlib
import random

from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db.models import F, Prefetch, Q

from civitas.components.proposals.models import CLOSED_STATES, Coauthorship, Proposal, Support
from civitas.core.params import parse_id

ORDERS = ("random", "recent", "most_supported", "most_commented")
_PRIME = 2_147_483_647  # modulus of the stable pseudo-random order
LIST_SECONDS = 300  # a safety net: the keys change with the content anyway


def may_see_proposal(user, proposal) -> bool:
    """The proposal's page rule, for one proposal whose component the user may see.

    Drafts are their author's; what moderation hid stays visible to its author and to
    the space's moderators.
    """
    is_author = user.is_authenticated and proposal.author_id == user.pk
    if not is_author and proposal.hidden_at is not None and user.is_authenticated:
        # Co-authors answer for a hidden proposal as its author does.
        is_author = any(coauthor.pk == user.pk for coauthor in proposal.coauthors)
    if proposal.published_at is None and not is_author:
        return False
    return (
        proposal.hidden_at is None or is_author or user.has_perm("spaces.moderate_space", proposal.component)
    )


def with_coauthors(proposals):
    """Load the accepted co-authors of every proposal of a query in one more query."""
    return proposals.prefetch_related(
        Prefetch(
            "coauthorships",
            queryset=Coauthorship.objects.filter(state=Coauthorship.State.ACCEPTED)
            .select_related("user")
            .order_by("invited_at", "pk"),
            to_attr="accepted_coauthorships",
        )
    )


def proposal_list(component, user, *, state="", tag="", mine=False, text="", order="random", seed=1):
    proposals = Proposal.objects.visible().filter(component=component)
    if state in Proposal.State.values:
        proposals = proposals.filter(state=state)
    else:
        proposals = proposals.exclude(state__in=CLOSED_STATES)
    if tag_id := parse_id(tag):
        proposals = proposals.filter(tags__pk=tag_id)
    if mine and user.is_authenticated:
        proposals = proposals.filter(
            Q(author=user)
            | Q(
                pk__in=Coauthorship.objects.filter(user=user, state=Coauthorship.State.ACCEPTED).values(
                    "proposal"
                )
            )
        )
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


def page_of(proposals, number, *, per_page: int = 20, count_key: str = "", order_key: str = "") -> Page:
    """One page of a list, whose rows are read only for the proposals on it.

    The database sorts ids alone, then the page's rows are read with their author and
    custom state by id: sorting whole rows (body included, the author joined) costs the
    random order more than twice as much on a large component. The number of proposals
    and the ids of each page are the same for every reader of a list: they are kept
    under ``count_key`` and ``order_key`` (see ``list_key``), so that readers after the
    first one only read the page's rows.
    """
    cache = caches["pages"]
    paginator = Paginator(proposals.values_list("pk", flat=True), per_page)
    if count_key:
        count = cache.get(count_key)
        if count is None:
            count = paginator.count
            cache.set(count_key, count, LIST_SECONDS)
        paginator.count = count
    page = paginator.get_page(number)
    ids_key = f"{order_key}:{page.number}" if order_key else ""
    ids = cache.get(ids_key) if ids_key else None
    if ids is None:
        ids = list(page.object_list)
        if ids_key:
            cache.set(ids_key, ids, LIST_SECONDS)
    rows = with_coauthors(Proposal.objects.select_related("author", "custom_state")).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]  # one may vanish between the two reads
    return page


def list_key(component, user, filters: dict, *, order: str = "", seed: int | None = None) -> str:
    """What a filtered list (its count; with an order, its pages) depends on.

    The component's content version moves in the same transaction as any change that
    adds, removes, hides, withdraws or reorders a proposal, supports and comments
    included (see ``components.freshness``), so what is kept under it is never stale.
    "Only mine" lists are kept per reader.
    """
    reader = user.pk if filters.get("mine") and user.is_authenticated else None
    parts = (component.pk, component.content_version, reader, order, seed, *sorted(filters.items()))
    return "proposal-list:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def support_allowance(component, user, settings: dict) -> dict | None:
    """What a participant's supports come to when the component limits or delays them:
    how many they gave, how many are left (``support_limit``) and how many more they must
    give before theirs count (``minimum_supports``). None when neither is set."""
    limit, minimum = settings.get("support_limit") or 0, settings.get("minimum_supports") or 0
    if not (limit or minimum) or not user.is_authenticated:
        return None
    given = Support.objects.filter(component=component, user=user).count()
    return {
        "limit": limit,
        "given": given,
        "left": max(limit - given, 0),
        "minimum": minimum,
        "to_count": max(minimum - given, 0),
    }
