"""New comments and proposals are scored after their transaction commits, through the task queue."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from civitas.moderation.registry import moderatable_for


@receiver(post_save, dispatch_uid="spam_score_new_contributions")
def score_new_contribution(sender, instance, created, raw=False, **kwargs):
    if not created or raw or moderatable_for(sender) is None or not hasattr(instance, "author_id"):
        return
    from civitas.spam.tasks import score_contribution_task

    label, pk = sender._meta.label_lower, instance.pk
    transaction.on_commit(lambda: score_contribution_task(label, pk))
