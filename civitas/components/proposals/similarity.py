"""Find proposals that look like a new one, so authors can join forces instead of duplicating."""

import re

from django.db.models import Q

from civitas.search.text import fold

# Short and very common words say nothing about what a proposal is about.
_STOPWORDS = {
    "avec",
    "dans",
    "pour",
    "plus",
    "sans",
    "sous",
    "vers",
    "chez",
    "cette",
    "tous",
    "toutes",
    "leurs",
    "nous",
    "vous",
    "faire",
    "mettre",
    "creer",
    "quartier",
    "ville",
    "with",
    "from",
    "that",
    "this",
    "more",
    "into",
    "make",
    "create",
    "their",
    "about",
}


def _words(text: str) -> list[str]:
    """Significant words, folded as ``Proposal.folded_title`` is: "Réaménager" → "reamenager"."""
    return [word for word in re.findall(r"[a-z0-9]{4,}", fold(text)) if word not in _STOPWORDS]


def similar_proposals(proposal, limit: int = 5):
    """Published proposals of the same component sharing significant title words, most shared first.

    Words are matched on the folded titles, so neither accents nor case keep two
    proposals apart ("Réaménager la place" and "reamenager la PLACE").
    """
    from civitas.components.proposals.models import Proposal

    words = _words(proposal.title)[:8]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(folded_title__contains=word)
    candidates = (
        Proposal.objects.visible()
        .filter(component=proposal.component)
        .filter(query)
        .exclude(pk=proposal.pk)
        .only("pk", "title", "support_count", "component_id")[:50]
    )
    wanted = set(words)
    scored = sorted(candidates, key=lambda other: -len(wanted & set(_words(other.title))))
    return scored[:limit]
