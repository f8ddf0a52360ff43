"""The proposal cards of the list, rendered once and shared by every reader.

A logged-in reader's list cannot come from the page cache (their supports, their form
tokens), but most of each card is the same for everyone: title, author, date, state,
comment and support counts. That part is rendered without the request (so it cannot
pick up anything personal), cached per proposal, and fetched for a whole page in one
``get_many``; only the support button is rendered for each reader.

The key is made of the values the card shows, not only of the proposal's ``updated_at``:
counts move through ``update()`` calls that leave ``updated_at`` alone, and an author's
name or a custom state lives in other rows. A change to any of them is a new key, so a
card is never shown stale; ``updated_at`` stands for the fields saved with the proposal.
"""

import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

# Old cards expire on their own: after a deployment that changes the templates, for one.
CARD_SECONDS = 300


def _key(proposal, *, support_mode: str, threshold) -> str:
    custom_state = proposal.custom_state
    parts = (
        proposal.pk,
        proposal.updated_at.timestamp(),
        proposal.get_absolute_url(),
        proposal.title,
        proposal.state,
        (custom_state.pk, custom_state.name) if custom_state else None,
        proposal.author.public_name,
        proposal.author.avatar.name,
        tuple((coauthor.public_name, coauthor.avatar.name) for coauthor in proposal.coauthors),
        proposal.published_at.timestamp() if proposal.published_at else None,
        proposal.comment_count,
        proposal.support_count,
        support_mode,
        threshold,
        get_language(),
        get_current_timezone_name(),
    )
    return "proposal-card:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _render(proposal, context: dict) -> tuple[str, str]:
    context = {**context, "proposal": proposal}
    return (
        render_to_string("proposals/_card.html", context),
        render_to_string("proposals/_support_count.html", context),
    )


def attach_cards(proposals, *, support_mode: str, settings: dict) -> None:
    """Give each proposal its ``card`` and ``support_summary`` HTML, from the cache when there.

    The proposals need their author and custom state loaded (``select_related``) and their
    co-authors (``queries.with_coauthors``).
    """
    proposals = list(proposals)
    threshold = settings.get("support_threshold")
    keys = {
        proposal.pk: _key(proposal, support_mode=support_mode, threshold=threshold) for proposal in proposals
    }
    cache = caches["fragments"]
    found = cache.get_many(list(keys.values()))
    rendered = {}
    context = {"support_mode": support_mode, "settings": {"support_threshold": threshold}}
    for proposal in proposals:
        key = keys[proposal.pk]
        parts = found.get(key)
        if parts is None:
            parts = rendered[key] = _render(proposal, context)
        proposal.card, proposal.support_summary = (mark_safe(part) for part in parts)
    if rendered:
        cache.set_many(rendered, CARD_SECONDS)
