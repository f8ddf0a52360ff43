"""Debates: opened by admins at any time, by participants when the phase allows; closed with a conclusion."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civitas.actionlog.services import log_action, snapshot
from civitas.authorizations.requirements import verification_refusal
from civitas.comments.models import Alignment, Comment
from civitas.components.debates.models import Debate


class DebateError(Exception):
    pass


def check_can_create(user, component) -> None:
    if not user.has_perm("debates.create", component):
        raise DebateError(
            verification_refusal(user, component, "create")
            or _("Debates cannot be opened by participants at the moment.")
        )


@transaction.atomic
def do_open_debate(*, user, component, title: str, description: str) -> Debate:
    """A participant opens a debate: published at once, like a comment."""
    check_can_create(user, component)
    return Debate.objects.create(
        component=component, author=user, title=title, description=description, published_at=timezone.now()
    )


@transaction.atomic
def do_save_official_debate(*, form, user, component) -> Debate:
    before = snapshot(form.instance) if form.instance.pk else None
    debate = form.save(commit=False)
    debate.component = component
    debate.save()
    log_action(
        organization=component.space.organization,
        user=user,
        action="debate.update" if before else "debate.create",
        target=debate,
        space=component.space,
        before=before,
        after=snapshot(debate),
    )
    return debate


@transaction.atomic
def do_set_debate_published(*, debate, user, published: bool) -> None:
    debate.published_at = (debate.published_at or timezone.now()) if published else None
    debate.save(update_fields=["published_at", "updated_at"])
    log_action(
        organization=debate.component.space.organization,
        user=user,
        action="debate.publish" if published else "debate.unpublish",
        target=debate,
        space=debate.component.space,
    )


@transaction.atomic
def do_close_debate(*, debate, user, conclusion: str) -> Debate:
    """Close with a conclusion: comments stop, the conclusion shows above them."""
    if not conclusion.strip():
        raise DebateError(_("Write the conclusion of the debate."))
    before = snapshot(debate)
    debate.conclusion, debate.closed_at = conclusion, debate.closed_at or timezone.now()
    debate.save(update_fields=["conclusion", "closed_at", "updated_at"])
    log_action(
        organization=debate.component.space.organization,
        user=user,
        action="debate.close",
        target=debate,
        space=debate.component.space,
        before=before,
        after=snapshot(debate),
    )
    return debate


def alignment_counts(debate) -> dict[str, int]:
    """How many visible, not deleted comments are for, against or without a position."""
    counts = (
        Comment.objects.of(debate)
        .visible()
        .filter(deleted_at__isnull=True)
        .aggregate(
            **{
                value: Count("pk", filter=Q(alignment=value))
                for value in (Alignment.FOR, Alignment.AGAINST, Alignment.NEUTRAL)
            }
        )
    )
    return {str(key): value for key, value in counts.items()}
