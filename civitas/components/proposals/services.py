"""Proposal actions. ``check_*`` says whether an action is allowed, ``do_*`` performs it.

Supports are the sensitive part: a participant's supports in a component are counted
and changed only while that participant's row is locked, so concurrent requests from
the same person queue up and can neither exceed the limit nor count a support twice.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civitas.components.proposals.models import CLOSED_STATES, Proposal, Support
from civitas.notifications.services import do_toggle_follow, is_following
from civitas.versions.services import record_version


class ProposalError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def check_can_create(user, component) -> None:
    limit = component.current_settings()["proposal_limit"]
    if limit:
        mine = Proposal.objects.filter(component=component, author=user, published_at__isnull=False)
        if mine.exclude(state__in=CLOSED_STATES).count() >= limit:
            raise ProposalError(
                ngettext(
                    "You have reached the limit of %(limit)s proposal here.",
                    "You have reached the limit of %(limit)s proposals here.",
                    limit,
                )
                % {"limit": limit}
            )


@transaction.atomic
def do_create_draft(
    *,
    user,
    component,
    title: str,
    body: str,
    address: str = "",
    coordinates: tuple[float | None, float | None] = (None, None),
    image=None,
    image_alt: str = "",
    tags=(),
) -> Proposal:
    check_can_create(user, component)
    latitude, longitude = coordinates if address else (None, None)
    proposal = Proposal.objects.create(
        component=component,
        author=user,
        title=title,
        body=body,
        address=address,
        latitude=latitude,
        longitude=longitude,
        image=image or "",
        image_alt=image_alt if image else "",
    )
    proposal.tags.set(tags)
    record_version(proposal, author=user)
    return proposal


@transaction.atomic
def do_publish(*, proposal, user) -> None:
    if proposal.published_at is not None:
        return
    check_can_create(user, proposal.component)
    proposal.published_at = timezone.now()
    proposal.save(update_fields=["published_at", "updated_at"])
    if not is_following(user, proposal):
        do_toggle_follow(user, proposal)


def check_can_edit(proposal, user) -> None:
    is_coauthor = proposal.published_at is not None and any(
        coauthor.pk == user.pk for coauthor in proposal.coauthors
    )
    if proposal.author_id != user.pk and not is_coauthor:
        raise ProposalError(_("Only the author or a co-author can edit a proposal."))
    if proposal.published_at is None:
        return
    minutes = proposal.component.current_settings()["edit_window_minutes"]
    if proposal.state in CLOSED_STATES or timezone.now() > proposal.published_at + timedelta(minutes=minutes):
        raise ProposalError(_("This proposal can no longer be edited."))


@transaction.atomic
def do_save_edit(*, form, user) -> Proposal:
    """Save the author's edit and keep it in the proposal's history."""
    proposal = Proposal.objects.select_for_update().get(pk=form.instance.pk)
    check_can_edit(proposal, user)
    proposal = form.save()
    record_version(proposal, author=user)
    return proposal


@transaction.atomic
def do_withdraw(*, proposal, user) -> None:
    if proposal.author_id != user.pk:
        raise ProposalError(_("Only the author can withdraw a proposal."))
    if proposal.is_closed_by_synthesis:
        raise ProposalError(_("This proposal was merged or split: it can no longer be withdrawn."))
    if proposal.state in (Proposal.State.ACCEPTED, Proposal.State.REJECTED):
        raise ProposalError(_("An answered proposal cannot be withdrawn."))
    proposal.state = Proposal.State.WITHDRAWN
    proposal.withdrawn_at = timezone.now()
    proposal.save(update_fields=["state", "withdrawn_at", "updated_at"])


def _lock_participant(user) -> None:
    # On PostgreSQL this row lock serialises one person's support requests; on SQLite
    # the IMMEDIATE transaction mode already serialises all writers.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _lock_supportable(proposal) -> None:
    """Lock the proposal's row after the participant's and read its state again.

    A merge locks the originals' rows before it moves their supports (synthesis.py): a
    support given or withdrawn meanwhile waits here, then sees the merged state, so no
    support lands on an original after its supports moved. Both take the proposal's row
    before any support row, so neither waits on the other in reverse order.
    """
    state = (
        Proposal.objects.select_for_update().filter(pk=proposal.pk).values_list("state", flat=True).first()
    )
    if state is None or state in (Proposal.State.MERGED, Proposal.State.SPLIT):
        raise ProposalError(_("This proposal was merged or split: support the proposals it led to."))


@transaction.atomic
def do_support(*, proposal, user) -> Support:
    component = proposal.component
    if proposal.published_at is None or proposal.hidden_at is not None or proposal.state in CLOSED_STATES:
        raise ProposalError(_("This proposal cannot be supported."))
    _lock_participant(user)
    _lock_supportable(proposal)
    settings = component.current_settings()
    mine = Support.objects.filter(component=component, user=user)
    given = mine.count()
    if mine.filter(proposal=proposal).exists():
        raise ProposalError(_("You already support this proposal."))
    if settings["support_limit"] and given >= settings["support_limit"]:
        raise ProposalError(
            ngettext(
                "You have used your %(limit)s support. Withdraw it to support this proposal.",
                "You have used all your %(limit)s supports. Withdraw one to support this proposal.",
                settings["support_limit"],
            )
            % {"limit": settings["support_limit"]}
        )
    minimum = settings["minimum_supports"]
    reaches_minimum = given + 1 >= minimum
    try:
        with transaction.atomic():
            support = Support.objects.create(
                proposal=proposal, user=user, component=component, counted=reaches_minimum
            )
    except IntegrityError as error:
        raise ProposalError(_("You already support this proposal.")) from error
    if reaches_minimum and given + 1 == minimum and minimum > 1:
        # The minimum is reached now: the earlier supports start to count as well.
        earlier = list(mine.filter(counted=False).values_list("proposal_id", flat=True))
        mine.filter(counted=False).update(counted=True)
        Proposal.objects.filter(pk__in=earlier).update(support_count=F("support_count") + 1)
    if reaches_minimum:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    return support


@transaction.atomic
def do_withdraw_support(*, proposal, user) -> None:
    component = proposal.component
    _lock_participant(user)
    _lock_supportable(proposal)
    support = Support.objects.filter(proposal=proposal, user=user).first()
    if support is None:
        raise ProposalError(_("You do not support this proposal."))
    support.delete()
    if support.counted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    _below_the_minimum_again(component, user, support)


def release_supports_of(proposal) -> None:
    """Give back the supports of a proposal split into others: each supporter may support
    the pieces instead, within their limit. The proposal keeps its count as a record."""
    component = proposal.component
    for support in list(Support.objects.filter(proposal=proposal).select_related("user")):
        support.delete()
        _below_the_minimum_again(component, support.user, support)


def _below_the_minimum_again(component, user, support) -> None:
    minimum = component.current_settings()["minimum_supports"]
    mine = Support.objects.filter(component=component, user=user)
    if minimum and support.counted and mine.count() < minimum:
        # Below the minimum again: the remaining supports stop counting.
        still = list(mine.filter(counted=True).values_list("proposal_id", flat=True))
        mine.update(counted=False)
        Proposal.objects.filter(pk__in=still).update(support_count=F("support_count") - 1)
