"""New comments, proposals and debates are scored as soon as their transaction commits.

At once, in the request that posted them, and not later through the task queue: the page
that follows tells the author whether their contribution is published or held for a
moderator, and that must be true when it is said. That costs little:
``bench/spam_scoring_at_posting.py`` measured posting a comment at 38 ms without scoring,
67 ms with it when the comment is published, 121 ms when it is held (report, hiding, the
author's e-mail), medians on SQLite; loading the starter model, once per process, 40 ms.
If scoring fails all the same, the task queue tries again later.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.moderation.registry import moderatable_for

logger = logging.getLogger(__name__)


@receiver(post_save, dispatch_uid="spam_score_new_contributions")
def score_new_contribution(sender, instance, created, raw=False, **kwargs):
    if not created or raw or moderatable_for(sender) is None or not hasattr(instance, "author_id"):
        return
    label, pk = sender._meta.label_lower, instance.pk
    transaction.on_commit(lambda: score_now(label, pk))


def score_now(label: str, pk: int) -> None:
    from civitas.spam.tasks import score_contribution, score_contribution_task

    try:
        score_contribution(label, pk)
    except Exception:  # the contribution is saved: scoring must not turn its posting into an error
        logger.exception("spam scoring of %s %s failed; queued to try again", label, pk)
        score_contribution_task(label, pk)
