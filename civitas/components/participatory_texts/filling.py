"""A large participatory text filled in bulk, for the benchmark and the query-count tests.

``fill`` makes the text (sections, articles, a published version) and its comments; each
kind of content has its own ``fill_…`` function so that a new one (amendments, once the
amendments app registers articles) is one more function called from ``fill``, with its
own count, and the benchmark (``bench/participatory_text_bench.py``) and the tests pick
it up through ``fill``'s keyword arguments.
"""

import random

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

WORDS = [
    "la",
    "commune",
    "veille",
    "à",
    "ce",
    "que",
    "chaque",
    "habitant",
    "puisse",
    "consulter",
    "les",
    "documents",
    "proposer",
    "des",
    "modifications",
    "et",
    "suivre",
    "les",
    "décisions",
    "du",
    "conseil",
    "dans",
    "un",
    "délai",
    "raisonnable",
    "après",
    "la",
    "séance",
]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def fill_articles(component, admin, *, articles: int, sections: int, rng: random.Random) -> list[int]:
    """Sections and articles in bulk, then a first published version; the articles' ids in order."""
    from civitas.components.participatory_texts.models import Article, Section
    from civitas.components.participatory_texts.services import do_publish_version

    with transaction.atomic():
        made = Section.objects.bulk_create(
            [
                Section(component=component, title=f"Titre {i + 1}", level=1, position=i)
                for i in range(sections)
            ]
        )
        Article.objects.bulk_create(
            [
                Article(
                    component=component,
                    section=made[i * len(made) // articles] if made else None,
                    position=i,
                    title=f"Article sur le point {i + 1}",
                    body="".join(f"<p>{_sentence(rng, 40)}</p>" for _ in range(3)),
                )
                for i in range(articles)
            ],
            batch_size=1000,
        )
        do_publish_version(component=component, user=admin, note="Projet")
    return list(Article.objects.filter(component=component).order_by("position").values_list("pk", flat=True))


def fill_comments(
    component, article_ids: list[int], people: list[int], *, comments: int, rng: random.Random
) -> int:
    """Comments spread over the articles, a tenth of them on the first (the busy one); the
    articles' counters set as the comments app keeps them. Returns the busy article's id."""
    from civitas.comments.models import Comment
    from civitas.components.participatory_texts.models import Article

    if not article_ids:
        return 0
    article_type = ContentType.objects.get_for_model(Article)
    busy = article_ids[0]
    rows = [
        Comment(
            organization_id=component.space.organization_id,
            component=component,
            content_type=article_type,
            object_id=busy if index < comments // 10 else rng.choice(article_ids),
            author_id=rng.choice(people),
            body=f"<p>{_sentence(rng, 25)}</p>",
            alignment="neutral",
        )
        for index in range(comments)
    ]
    counts: dict[int, int] = {}
    for row in rows:
        counts[row.object_id] = counts.get(row.object_id, 0) + 1
    with transaction.atomic():
        Comment.objects.bulk_create(rows, batch_size=5000)
        Article.objects.bulk_update(
            [Article(pk=pk, comment_count=counts.get(pk, 0)) for pk in article_ids],
            ["comment_count"],
            batch_size=1000,
        )
    return busy


def fill_amendments(component, article_ids: list[int], people: list[int], *, amendments: int, rng) -> None:
    """Amendments spread like the comments (a tenth on the busy article), every state a
    text's amendments reach: most awaiting a decision, some accepted, some rejected."""
    from civitas.amendments.models import Amendment
    from civitas.components.participatory_texts.models import Article

    if not article_ids or not amendments:
        return
    article_type = ContentType.objects.get_for_model(Article)
    states = [Amendment.State.PENDING] * 6 + [Amendment.State.ACCEPTED] * 2 + [Amendment.State.REJECTED] * 2
    Amendment.objects.bulk_create(
        (
            Amendment(
                component=component,
                content_type=article_type,
                object_id=article_ids[0] if index < amendments // 10 else rng.choice(article_ids),
                amender_id=rng.choice(people),
                title=_sentence(rng, 6),
                body=f"<p>{_sentence(rng, 40)}</p>",
                base_version=1,
                state=rng.choice(states),
            )
            for index in range(amendments)
        ),
        batch_size=5000,
    )


def fill(
    component,
    admin,
    people: list[int],
    *,
    articles: int = 300,
    comments: int = 20_000,
    amendments: int = 5_000,
    seed: int = 42,
) -> dict:
    """The whole data set; what the pages to measure are."""
    rng = random.Random(seed)
    started = timezone.now()
    article_ids = fill_articles(component, admin, articles=articles, sections=max(1, articles // 20), rng=rng)
    busy = fill_comments(component, article_ids, people, comments=comments, rng=rng)
    fill_amendments(component, article_ids, people, amendments=amendments, rng=rng)
    return {
        "articles": article_ids,
        "busy_article": busy,
        "seconds": round((timezone.now() - started).total_seconds(), 1),
    }
