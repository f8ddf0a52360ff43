"""Writing together: co-authors of a proposal, and collaborative drafts.

Co-authors. The proposal's author invites participants of the organization by nickname;
each one accepts or declines. A co-author is shown beside the author everywhere and may
edit the proposal within the same edit window. Withdrawing stays the original author's
alone: a withdrawal ends the proposal for every author and counts against the author's
own proposal limit, so it remains the act of the person who submitted it; a co-author
who no longer agrees leaves instead, which takes their name off and nothing else.

Collaborative drafts. Anyone allowed opens a draft; others ask to join and any author
accepts or refuses. Every save is a numbered version (``civitas.versions``). The edit
form carries the number it started from; the save locks the draft's row and, when
someone saved after that number, is refused with the words the other person changed,
so that nobody's change is lost without them being told. Any author publishes the
draft as a proposal (its opener as author, the others as co-authors) or withdraws it.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civitas.components.proposals.models import (
    Coauthorship,
    CollaborativeDraft,
    DraftCollaborator,
    Proposal,
)
from civitas.components.proposals.rules import draft_author_ids
from civitas.components.proposals.services import ProposalError, check_can_create
from civitas.notifications.kinds import register_kind
from civitas.notifications.services import do_toggle_follow, is_following, notify_later
from civitas.versions import registry as versions_registry
from civitas.versions.models import Version
from civitas.versions.services import changed_since, field_differences, latest_version, record_version

MAX_COAUTHORS = 20

register_kind(
    "proposal_coauthor_invited",
    gettext_lazy("%(person)s invites you to co-author the proposal “%(target)s”."),
)
register_kind(
    "proposal_coauthor_accepted", gettext_lazy("%(person)s is now a co-author of your proposal “%(target)s”.")
)
register_kind(
    "proposal_coauthor_declined",
    gettext_lazy("%(person)s declined to co-author your proposal “%(target)s”."),
)
register_kind(
    "draft_join_requested", gettext_lazy("%(person)s would like to write the draft “%(target)s” with you.")
)
register_kind("draft_request_accepted", gettext_lazy("You are now an author of the draft “%(target)s”."))
register_kind(
    "draft_request_refused", gettext_lazy("Your request to write the draft “%(target)s” was refused.")
)
register_kind(
    "draft_published", gettext_lazy("The draft “%(target)s” you wrote is now published as a proposal.")
)
register_kind(
    "draft_withdrawn", gettext_lazy("The draft “%(target)s” you wrote was withdrawn by %(person)s.")
)


class DraftConflict(ProposalError):
    """Someone saved the draft after the version the editor started from."""

    def __init__(self, *, started, newest, differences):
        super().__init__(
            _(
                "%(person)s saved this draft while you were editing it (version %(number)s). "
                "Your text is kept below: merge their changes into it, then save again."
            )
            % {"person": newest.author.public_name if newest.author else "", "number": newest.number}
        )
        self.started, self.newest, self.differences = started, newest, differences


# --- Co-authors -----------------------------------------------------------------------------


def proposal_author_ids(proposal) -> set[int]:
    """The author and the accepted co-authors (from the list's prefetch when loaded)."""
    return {proposal.author_id, *(user.pk for user in proposal.coauthors)}


def is_proposal_author(proposal, user) -> bool:
    return user.is_authenticated and user.pk in proposal_author_ids(proposal)


def _lock(proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("component__space").get(pk=proposal.pk)


@transaction.atomic
def do_invite_coauthor(*, proposal, user, nickname: str) -> Coauthorship:
    proposal = _lock(proposal)
    if not user.has_perm("proposals.manage_coauthors", proposal):
        raise ProposalError(_("Only the author of a proposal still open can invite co-authors."))
    nickname = nickname.strip().lstrip("@")
    invitee = (
        get_user_model()
        .objects.filter(
            organization_id=proposal.component.space.organization_id,
            nickname__iexact=nickname,
            is_active=True,
            deleted_at__isnull=True,
        )
        .first()
        if nickname
        else None
    )
    if invitee is None:
        raise ProposalError(
            _("No participant of this platform has the nickname “%(nickname)s”.") % {"nickname": nickname}
        )
    if invitee.pk == proposal.author_id:
        raise ProposalError(_("You are already the author of this proposal."))
    if not invitee.has_perm("components.view_component", proposal.component):
        raise ProposalError(_("This participant cannot see this space, so cannot co-author here."))
    existing = proposal.coauthorships.filter(user=invitee).first()
    if existing is not None and existing.state in (Coauthorship.State.INVITED, Coauthorship.State.ACCEPTED):
        raise ProposalError(_("This person is already invited or a co-author."))
    active = proposal.coauthorships.filter(
        state__in=(Coauthorship.State.INVITED, Coauthorship.State.ACCEPTED)
    )
    if active.count() >= MAX_COAUTHORS:
        raise ProposalError(_("A proposal has at most %(max)s co-authors.") % {"max": MAX_COAUTHORS})
    now = timezone.now()
    if existing is None:
        try:
            with transaction.atomic():
                coauthorship = Coauthorship.objects.create(
                    proposal=proposal, component=proposal.component, user=invitee, invited_at=now
                )
        except IntegrityError:
            raise ProposalError(_("This person is already invited or a co-author.")) from None
    else:
        coauthorship = existing
        coauthorship.state, coauthorship.invited_at, coauthorship.answered_at = (
            Coauthorship.State.INVITED,
            now,
            None,
        )
        coauthorship.save(update_fields=["state", "invited_at", "answered_at"])
    notify_later(
        kind="proposal_coauthor_invited",
        params={"target": proposal.title, "person": user.public_name},
        url=proposal.get_absolute_url(),
        user_ids=[invitee.pk],
    )
    return coauthorship


@transaction.atomic
def do_answer_coauthorship(*, proposal, user, accept: bool) -> Coauthorship:
    proposal = _lock(proposal)
    coauthorship = proposal.coauthorships.filter(user=user, state=Coauthorship.State.INVITED).first()
    if coauthorship is None:
        raise ProposalError(_("You have no pending invitation to co-author this proposal."))
    if accept and proposal.state == Proposal.State.WITHDRAWN:
        raise ProposalError(_("This proposal was withdrawn: it takes no new co-author."))
    coauthorship.state = Coauthorship.State.ACCEPTED if accept else Coauthorship.State.DECLINED
    coauthorship.answered_at = timezone.now()
    coauthorship.save(update_fields=["state", "answered_at"])
    if accept and not is_following(user, proposal):
        do_toggle_follow(user, proposal)
    notify_later(
        kind="proposal_coauthor_accepted" if accept else "proposal_coauthor_declined",
        params={"target": proposal.title, "person": user.public_name},
        url=proposal.get_absolute_url(),
        user_ids=[proposal.author_id],
    )
    return coauthorship


@transaction.atomic
def do_end_coauthorship(*, proposal, user, coauthorship_id: int) -> Coauthorship:
    """The author takes back an invitation or a co-author's name; a co-author leaves."""
    proposal = _lock(proposal)
    coauthorship = proposal.coauthorships.filter(pk=coauthorship_id).first()
    if coauthorship is None:
        raise ProposalError(_("This co-author is not on this proposal."))
    active = (Coauthorship.State.INVITED, Coauthorship.State.ACCEPTED)
    if coauthorship.user_id == user.pk and coauthorship.state == Coauthorship.State.ACCEPTED:
        coauthorship.state = Coauthorship.State.LEFT
    elif user.has_perm("proposals.manage_coauthors", proposal) and coauthorship.state in active:
        coauthorship.state = Coauthorship.State.REMOVED
    else:
        raise ProposalError(_("Only the author removes co-authors; a co-author may only leave."))
    coauthorship.answered_at = timezone.now()
    coauthorship.save(update_fields=["state", "answered_at"])
    return coauthorship


def forget_pending_for(user) -> None:
    """At account deletion: invitations and requests still waiting lapse.

    Accepted co-authorships and draft authorships stay, shown as by a deleted
    participant, like the rest of the person's contributions.
    """
    now = timezone.now()
    Coauthorship.objects.filter(user=user, state=Coauthorship.State.INVITED).update(
        state=Coauthorship.State.DECLINED, answered_at=now
    )
    DraftCollaborator.objects.filter(user=user, state=DraftCollaborator.State.REQUESTED).delete()


# --- Collaborative drafts ------------------------------------------------------------------


def _lock_draft(draft) -> CollaborativeDraft:
    locked = CollaborativeDraft.objects.select_for_update().get(pk=draft.pk)
    locked.component = draft.component
    return locked


def _notify_authors(draft, *, kind: str, person, except_ids=(), url=None) -> None:
    ids = sorted(draft_author_ids(draft) - set(except_ids))
    if ids:
        notify_later(
            kind=kind,
            params={"target": draft.title, "person": person.public_name},
            url=url or draft.get_absolute_url(),
            user_ids=ids,
        )


@transaction.atomic
def do_open_draft(*, user, component, title: str, body: str) -> CollaborativeDraft:
    if not user.has_perm("proposals.open_draft", component):
        raise ProposalError(_("Collaborative drafts are not open here in this phase."))
    draft = CollaborativeDraft.objects.create(component=component, author=user, title=title, body=body)
    record_version(draft, author=user)
    if not is_following(user, draft):
        do_toggle_follow(user, draft)
    return draft


def draft_version_number(draft) -> int:
    last = latest_version(draft)
    return last.number if last else 0


@transaction.atomic
def do_save_draft(*, draft, user, title: str, body: str, started_from: int) -> CollaborativeDraft:
    """Save an author's edit unless someone saved after the version it started from."""
    draft = _lock_draft(draft)
    if not user.has_perm("proposals.edit_draft", draft):
        raise ProposalError(_("Only the authors of an open draft can edit it, while drafts are open."))
    newest = changed_since(draft, started_from)
    if newest is not None:
        spec = versions_registry.for_model(CollaborativeDraft)
        started = Version.objects.filter(
            content_type=newest.content_type, object_id=draft.pk, number=started_from
        ).first()
        raise DraftConflict(
            started=started,
            newest=newest,
            differences=field_differences(spec, started.fields if started else {}, newest.fields),
        )
    draft.title, draft.body = title, body
    draft.save(update_fields=["title", "body", "updated_at"])
    record_version(draft, author=user)
    return draft


@transaction.atomic
def do_ask_to_join(*, draft, user) -> DraftCollaborator:
    draft = _lock_draft(draft)
    if not user.has_perm("proposals.ask_to_join_draft", draft):
        raise ProposalError(_("You cannot ask to join this draft."))
    existing = draft.collaborators.filter(user=user).first()
    if existing is not None:
        if existing.state == DraftCollaborator.State.REFUSED:
            raise ProposalError(_("The authors refused your request to join this draft."))
        raise ProposalError(_("You already asked to join this draft."))
    request = DraftCollaborator.objects.create(
        draft=draft, component=draft.component, user=user, requested_at=timezone.now()
    )
    _notify_authors(draft, kind="draft_join_requested", person=user)
    return request


@transaction.atomic
def do_answer_request(*, draft, user, request_id: int, accept: bool) -> DraftCollaborator:
    draft = _lock_draft(draft)
    if not user.has_perm("proposals.answer_draft_request", draft):
        raise ProposalError(_("Only the authors of an open draft answer the requests to join it."))
    request = draft.collaborators.filter(pk=request_id, state=DraftCollaborator.State.REQUESTED).first()
    if request is None:
        raise ProposalError(_("This request was already answered or withdrawn."))
    request.state = DraftCollaborator.State.ACCEPTED if accept else DraftCollaborator.State.REFUSED
    request.answered_at = timezone.now()
    request.save(update_fields=["state", "answered_at"])
    draft._author_ids = None
    if accept and not is_following(request.user, draft):
        do_toggle_follow(request.user, draft)
    notify_later(
        kind="draft_request_accepted" if accept else "draft_request_refused",
        params={"target": draft.title},
        url=draft.get_absolute_url(),
        user_ids=[request.user_id],
    )
    return request


@transaction.atomic
def do_publish_draft(*, draft, user) -> Proposal:
    """The draft becomes a proposal: its opener the author, every other author a co-author."""
    draft = _lock_draft(draft)
    if not user.has_perm("proposals.publish_draft", draft):
        raise ProposalError(_("Only the authors of an open draft publish it, while drafts are open."))
    check_can_create(draft.author, draft.component)
    now = timezone.now()
    proposal = Proposal.objects.create(
        component=draft.component, author=draft.author, title=draft.title, body=draft.body, published_at=now
    )
    coauthor_ids = sorted(draft_author_ids(draft) - {draft.author_id})
    Coauthorship.objects.bulk_create(
        Coauthorship(
            proposal=proposal,
            component=draft.component,
            user_id=user_id,
            state=Coauthorship.State.ACCEPTED,
            invited_at=now,
            answered_at=now,
        )
        for user_id in coauthor_ids
    )
    record_version(
        proposal,
        author=user,
        note=_("Published from the collaborative draft “%(title)s”: %(url)s")
        % {"title": draft.title, "url": draft.get_absolute_url()},
    )
    draft.state, draft.proposal, draft.closed_at = CollaborativeDraft.State.PUBLISHED, proposal, now
    draft.save(update_fields=["state", "proposal", "closed_at", "updated_at"])
    for author_id in [draft.author_id, *coauthor_ids]:
        follower = get_user_model()(pk=author_id)
        if not is_following(follower, proposal):
            do_toggle_follow(follower, proposal)
    _notify_authors(
        draft, kind="draft_published", person=user, except_ids=[user.pk], url=proposal.get_absolute_url()
    )
    return proposal


@transaction.atomic
def do_withdraw_draft(*, draft, user) -> CollaborativeDraft:
    draft = _lock_draft(draft)
    if not user.has_perm("proposals.withdraw_draft", draft):
        raise ProposalError(_("Only the authors of an open draft can withdraw it."))
    draft.state, draft.closed_at = CollaborativeDraft.State.WITHDRAWN, timezone.now()
    draft.save(update_fields=["state", "closed_at", "updated_at"])
    _notify_authors(draft, kind="draft_withdrawn", person=user, except_ids=[user.pk])
    return draft
