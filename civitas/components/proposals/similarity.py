"""Find proposals that look like a new one, so authors can join forces instead of duplicating."""

import re
import unicodedata

from django.db.models import Q

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
    "créer",
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
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    return [word for word in re.findall(r"[a-z0-9]{4,}", folded) if word not in _STOPWORDS]


def similar_proposals(proposal, limit: int = 5):
    """Published proposals of the same component sharing significant title words, most shared first."""
    from civitas.components.proposals.models import Proposal

    words = _words(proposal.title)[:8]
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(title__icontains=word)
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
