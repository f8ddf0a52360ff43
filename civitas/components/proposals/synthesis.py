"""The synthesis step of a convention: admins merge, split and import proposals.

Each ``do_*`` runs in one transaction that also writes its one action-log entry, a first
version of every new proposal (``record_version`` with a note naming where it came from)
and the links both ways (``ProposalLink``; the meeting a proposal came out of is the
meeting's own ``proposals`` list). The authors of the originals are told after commit.

Supports on a merge: every person who supported one or more originals supports the
result once; their supports of the originals move to it (so nobody spends more of a
support limit than before), and a support that counted still counts. The originals keep
their count as a record of what they gathered. On a split the supports stay with the
original: supporting a whole is not supporting each of its parts.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from civitas.actionlog.services import log_action
from civitas.components.freshness import mark_component_changed
from civitas.components.models import Component
from civitas.components.proposals.models import CLOSED_STATES, Coauthorship, Proposal, ProposalLink, Support
from civitas.components.proposals.services import release_supports_of
from civitas.notifications.kinds import register_kind
from civitas.notifications.services import do_toggle_follow, is_following, notify_later
from civitas.versions.services import record_version

register_kind("proposal_merged", gettext_lazy("Your proposal “%(target)s” was merged into “%(result)s”."))
register_kind("proposal_split", gettext_lazy("Your proposal “%(target)s” was split into: %(result)s."))
register_kind("proposal_imported", gettext_lazy("Your proposal “%(target)s” was taken up in “%(result)s”."))

TITLE_LENGTH = Proposal._meta.get_field("title").max_length
# States an import may copy: the open ones and the answered ones, never a closed one.
IMPORTABLE_STATES = (
    Proposal.State.NOT_ANSWERED,
    Proposal.State.EVALUATING,
    Proposal.State.ACCEPTED,
    Proposal.State.REJECTED,
)


class SynthesisError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Part:
    """A proposal an admin writes: the result of a merge, a piece of a split, a meeting's conclusion."""

    title: str
    body: str


def _quoted(proposals) -> str:
    return ", ".join(f"« {proposal.title} »" for proposal in proposals)


def _check_parts(parts, *, at_least: int) -> None:
    if len(parts) < at_least:
        raise SynthesisError(
            _("Write at least two proposals, each with a title and a text.")
            if at_least > 1
            else _("Write a proposal with a title and a text.")
        )
    for part in parts:
        if not part.title.strip() or not part.body.strip():
            raise SynthesisError(_("Each new proposal needs a title and a text."))
        if len(part.title) > TITLE_LENGTH:
            raise SynthesisError(
                ngettext(
                    "A title has at most %(length)s character.",
                    "A title has at most %(length)s characters.",
                    TITLE_LENGTH,
                )
                % {"length": TITLE_LENGTH}
            )


def _check_original(proposal, component) -> None:
    """Only a published, visible proposal still open in ``component`` may be merged or split."""
    if proposal.component_id != component.pk:
        raise SynthesisError(_("Every proposal must belong to this component."))
    if proposal.published_at is None or proposal.hidden_at is not None:
        raise SynthesisError(
            _("“%(title)s” is not published or is hidden by moderation.") % {"title": proposal.title}
        )
    if proposal.state in CLOSED_STATES:
        raise SynthesisError(
            _("“%(title)s” is withdrawn, merged or split already.") % {"title": proposal.title}
        )


def _new_proposal(*, component, author, part: Part, like=None) -> Proposal:
    proposal = Proposal(
        component=component,
        author=author,
        title=part.title.strip(),
        body=part.body,
        published_at=timezone.now(),
    )
    if like is not None and like.address:  # where the original was, the result still is
        proposal.address, proposal.latitude, proposal.longitude = like.address, like.latitude, like.longitude
    proposal.save()
    return proposal


def _close(proposal, state) -> None:
    proposal.state = state
    proposal.save(update_fields=["state", "updated_at"])


def _follow(users, proposal) -> None:
    for user in users:
        if not is_following(user, proposal):
            do_toggle_follow(user, proposal)


def _tell_authors(*, kind: str, originals, result_title: str, url: str) -> None:
    for original in originals:
        notify_later(
            kind=kind,
            params={
                "space": original.component.space.title,
                "target": original.title,
                "result": result_title,
            },
            url=url,
            user_ids=[original.author_id],
        )


def _lock_people(component, ids, user) -> None:
    """Lock, before any original, the rows of everyone the act will name: supporters, authors, the admin.

    A support locks its person's row, then the proposal's (services.do_support). Writing a
    support, a proposal or a follow that names a person waits on that person's row (the
    foreign key), so the act takes the people first, in the same order as a support does:
    a support waiting on a locked original then never holds a row the act waits for.
    """
    supporters = Support.objects.filter(proposal_id__in=ids).values_list("user_id", flat=True)
    authors = Proposal.objects.filter(component=component, pk__in=ids).values_list("author_id", flat=True)
    people = sorted({*supporters, *authors, user.pk})
    list(get_user_model().objects.select_for_update().filter(pk__in=people).order_by("pk").values_list("pk"))


def _locked_originals(component, ids) -> list[Proposal]:
    """The originals' rows locked in one order (by id), so two merges never wait on each other crosswise."""
    proposals = list(
        Proposal.objects.select_for_update()
        .select_related("author")
        .filter(component=component, pk__in=ids)
        .order_by("pk")
    )
    if len(proposals) != len(set(ids)):
        raise SynthesisError(_("Every proposal must belong to this component."))
    return proposals


def _sign_together(result: Proposal, originals) -> None:
    """The originals' authors and accepted co-authors sign the result as its co-authors.

    An admin's act, so nobody is asked: they wrote what the result is made of. A deleted
    account is left out (it cannot accept anything and shows as a deleted participant).
    """
    accepted = Coauthorship.State.ACCEPTED
    people = {original.author_id: original.author for original in originals}
    for coauthorship in Coauthorship.objects.filter(proposal__in=originals, state=accepted).select_related(
        "user"
    ):
        people.setdefault(coauthorship.user_id, coauthorship.user)
    now = timezone.now()
    Coauthorship.objects.bulk_create(
        Coauthorship(
            proposal=result,
            component=result.component,
            user=person,
            state=accepted,
            invited_at=now,
            answered_at=now,
        )
        for person_id, person in sorted(people.items())
        if person_id != result.author_id and not person.is_deleted
    )


@transaction.atomic
def do_merge(*, component, user, proposal_ids, part: Part) -> Proposal:
    ids = sorted(set(proposal_ids))
    if len(ids) < 2:
        raise SynthesisError(_("Choose at least two proposals to merge."))
    _check_parts([part], at_least=1)
    _lock_people(component, ids, user)
    originals = _locked_originals(component, ids)
    for original in originals:
        original.component = component
        _check_original(original, component)
    # The first published original's author leads the list; every author is kept on the links.
    first = min(originals, key=lambda proposal: (proposal.published_at, proposal.pk))
    result = _new_proposal(component=component, author=first.author, part=part)
    supports = list(Support.objects.filter(proposal__in=originals).order_by("user_id", "-counted", "pk"))
    carried = {}
    for support in supports:
        carried.setdefault(support.user_id, support.counted)  # counted first in the order: any counted wins
    Support.objects.filter(proposal__in=originals).delete()
    Support.objects.bulk_create(
        Support(proposal=result, user_id=user_id, component=component, counted=counted)
        for user_id, counted in carried.items()
    )
    result.support_count = sum(1 for counted in carried.values() if counted)
    result.save(update_fields=["support_count"])
    for original in originals:
        ProposalLink.objects.create(
            kind=ProposalLink.Kind.MERGED, source=original, target=result, component=component
        )
        _close(original, Proposal.State.MERGED)
        record_version(original, author=user, note=_("Merged into « %(title)s »") % {"title": result.title})
    _sign_together(result, originals)
    record_version(result, author=user, note=_("Merge of %(originals)s") % {"originals": _quoted(originals)})
    _follow({original.author for original in originals}, result)
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.merge",
        target=result,
        space=component.space,
        after={"result_title": result.title, "originals": ids, "supporters": len(carried)},
    )
    mark_component_changed(component.pk)  # supports moved in bulk: no save signal said so
    _tell_authors(
        kind="proposal_merged", originals=originals, result_title=result.title, url=result.get_absolute_url()
    )
    return result


@transaction.atomic
def do_split(*, component, user, proposal_id, parts) -> list[Proposal]:
    _check_parts(parts, at_least=2)
    _lock_people(component, [proposal_id], user)
    (original,) = _locked_originals(component, [proposal_id])
    original.component = component
    _check_original(original, component)
    pieces = []
    for part in parts:
        piece = _new_proposal(component=component, author=original.author, part=part, like=original)
        ProposalLink.objects.create(
            kind=ProposalLink.Kind.SPLIT, source=original, target=piece, component=component
        )
        _sign_together(piece, [original])
        record_version(piece, author=user, note=_("Split from « %(title)s »") % {"title": original.title})
        _follow([original.author], piece)
        pieces.append(piece)
    _close(original, Proposal.State.SPLIT)
    # Supporting the whole is not supporting each piece: the supports are given back, so
    # that nobody's limit stays taken by a proposal that can no longer be supported.
    release_supports_of(original)
    record_version(original, author=user, note=_("Split into %(pieces)s") % {"pieces": _quoted(pieces)})
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.split",
        target=original,
        space=component.space,
        after={"parts": [piece.pk for piece in pieces]},
    )
    _tell_authors(
        kind="proposal_split",
        originals=[original],
        result_title=", ".join(f"« {piece.title} »" for piece in pieces),
        url=original.get_absolute_url(),
    )
    return pieces


def importable_components(user, component):
    """The other proposals components of the organization whose space ``user`` administers."""
    candidates = (
        Component.objects.filter(
            manifest_name="proposals", space__organization_id=component.space.organization_id
        )
        .exclude(pk=component.pk)
        .select_related("space")
        .order_by("space__title", "position", "pk")
    )
    return [candidate for candidate in candidates if user.has_perm("spaces.admin_space", candidate.space)]


def _check_source_component(user, component, source) -> None:
    if (
        source.pk == component.pk
        or source.manifest_name != "proposals"
        or source.space.organization_id != component.space.organization_id
        or not user.has_perm("spaces.admin_space", source.space)
    ):
        raise SynthesisError(_("Choose another proposals component of a space you administer."))


@transaction.atomic
def do_import_from_component(*, component, user, source, states, keep_authors: bool) -> list[Proposal]:
    """Copy the visible proposals of ``source`` in ``states``; those imported before are skipped."""
    _check_source_component(user, component, source)
    states = [state for state in states if state in IMPORTABLE_STATES]
    if not states:
        raise SynthesisError(_("Choose at least one state to import."))
    # Two imports into one component queue here; the unique link is the last guard.
    Component.objects.select_for_update().filter(pk=component.pk).first()
    already = ProposalLink.objects.filter(
        kind=ProposalLink.Kind.IMPORTED, component=component, source__component=source
    ).values_list("source_id", flat=True)
    originals = list(
        Proposal.objects.visible()
        .filter(component=source, state__in=states)
        .exclude(pk__in=already)
        .select_related("author")
        .order_by("published_at", "pk")
    )
    copies = []
    for original in originals:
        original.component = source
        author = original.author if keep_authors and not original.author.is_deleted else user
        copy = _new_proposal(
            component=component, author=author, part=Part(original.title, original.body), like=original
        )
        try:
            with transaction.atomic():
                ProposalLink.objects.create(
                    kind=ProposalLink.Kind.IMPORTED, source=original, target=copy, component=component
                )
        except IntegrityError as error:
            raise SynthesisError(_("Another import of these proposals is under way: try again.")) from error
        record_version(
            copy,
            author=user,
            note=_("Imported from « %(title)s » (%(space)s)")
            % {"title": original.title, "space": source.space.title},
        )
        copies.append(copy)
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.import_component",
        target=component,
        space=component.space,
        after={
            "source_component": f"{source.space.title} · {source.name}",
            "imported_states": states,
            "keep_authors": keep_authors,
            "imported": [copy.pk for copy in copies],
        },
    )
    mark_component_changed(source.pk)  # the originals' pages now say where they went
    for original, copy in zip(originals, copies, strict=True):
        if original.author_id != user.pk:
            _tell_authors(
                kind="proposal_imported",
                originals=[original],
                result_title=copy.title,
                url=copy.get_absolute_url(),
            )
    return copies


def closed_meetings(user, component):
    """Closed, published meetings of the organization, in spaces ``user`` administers."""
    from django.apps import apps

    if not apps.is_installed("civitas.components.meetings"):
        return []
    Meeting = apps.get_model("meetings", "Meeting")
    meetings = (
        Meeting.objects.published()
        .filter(
            closed_at__isnull=False,
            hidden_at__isnull=True,
            component__space__organization_id=component.space.organization_id,
        )
        .select_related("component__space")
        .order_by("-start_time", "-pk")
    )
    return [meeting for meeting in meetings if user.has_perm("spaces.admin_space", meeting.component.space)]


@transaction.atomic
def do_import_from_meeting(*, component, user, meeting, parts) -> list[Proposal]:
    """New proposals written from a closed meeting's conclusions, listed on the meeting's report."""
    if meeting not in closed_meetings(user, component):
        raise SynthesisError(_("Choose a closed meeting of a space you administer."))
    _check_parts(parts, at_least=1)
    created = []
    for part in parts:
        proposal = _new_proposal(component=component, author=user, part=part, like=meeting)
        record_version(
            proposal, author=user, note=_("From the meeting « %(title)s »") % {"title": meeting.title}
        )
        created.append(proposal)
    meeting.proposals.add(*created)
    log_action(
        organization=component.space.organization,
        user=user,
        action="proposal.import_meeting",
        target=component,
        space=component.space,
        after={"meeting_title": meeting.title, "imported": [proposal.pk for proposal in created]},
    )
    mark_component_changed(meeting.component_id)  # the meeting's report lists them
    return created
