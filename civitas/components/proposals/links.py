"""The links of a proposal as its reader may see them, and the cache they depend on.

A link is shown only when its reader may see both ends: a hidden, draft or private
proposal never shows through a link (not even its title), and neither does a meeting
that is not public to that reader.

Anonymous proposal pages are cached under their own component's content version (see
components.page_cache). An import links two components, possibly in two spaces, so a
change to the other end (hidden, its space made private, its component unpublished)
marks the linked components changed too: their cached pages never outlive what they show.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.signals import post_save

from civitas.components.freshness import mark_component_changed
from civitas.components.models import Component
from civitas.components.proposals.models import Proposal, ProposalLink
from civitas.components.proposals.queries import may_see_proposal


@dataclass
class Links:
    merged_into: list = field(default_factory=list)
    split_into: list = field(default_factory=list)
    imported_to: list = field(default_factory=list)
    merged_from: list = field(default_factory=list)
    split_from: list = field(default_factory=list)
    imported_from: list = field(default_factory=list)
    meetings: list = field(default_factory=list)

    @property
    def comes_from(self) -> bool:
        return bool(self.merged_from or self.split_from or self.imported_from or self.meetings)

    @property
    def authors(self) -> list:
        """The authors of the merged originals the reader may see, each once, in order."""
        seen, authors = set(), []
        for original in self.merged_from:
            if original.author_id not in seen:
                seen.add(original.author_id)
                authors.append(original.author)
        return authors


def _may_see(user, proposal) -> bool:
    return user.has_perm("components.view_component", proposal.component) and may_see_proposal(user, proposal)


def visible_links(user, proposal) -> Links:
    links = Links()
    rows = ProposalLink.objects.filter(Q(source=proposal) | Q(target=proposal)).select_related(
        "source__author", "source__component__space", "target__author", "target__component__space"
    )
    outgoing = {
        ProposalLink.Kind.MERGED: links.merged_into,
        ProposalLink.Kind.SPLIT: links.split_into,
        ProposalLink.Kind.IMPORTED: links.imported_to,
    }
    incoming = {
        ProposalLink.Kind.MERGED: links.merged_from,
        ProposalLink.Kind.SPLIT: links.split_from,
        ProposalLink.Kind.IMPORTED: links.imported_from,
    }
    for link in rows:
        out = link.source_id == proposal.pk
        other = link.target if out else link.source
        if _may_see(user, other):
            (outgoing if out else incoming)[link.kind].append(other)
    for meeting in proposal.meetings.filter(
        published_at__isnull=False, hidden_at__isnull=True, closed_at__isnull=False
    ).select_related("component__space"):
        if user.has_perm("components.view_component", meeting.component):
            links.meetings.append(meeting)
    return links


def _components_linked_to(condition: Q) -> set[int]:
    """Components holding the other end of a link one of whose ends matches ``condition``."""
    ids = set()
    for source_component, target_component in ProposalLink.objects.filter(condition).values_list(
        "source__component_id", "component_id"
    ):
        ids.update((source_component, target_component))
    return ids


def _mark(ids) -> None:
    for component_id in sorted(ids):
        mark_component_changed(component_id)


def _proposal_saved(sender, instance, **kwargs) -> None:
    if kwargs.get("created"):
        return  # a new proposal has no link yet
    _mark(_components_linked_to(Q(source=instance) | Q(target=instance)) - {instance.component_id})


def _component_saved(sender, instance, **kwargs) -> None:
    if instance.manifest_name == "proposals" and not kwargs.get("created"):
        ids = _components_linked_to(Q(source__component=instance) | Q(component=instance))
        _mark(ids - {instance.pk})


def _space_saved(sender, instance, **kwargs) -> None:
    if kwargs.get("created"):
        return
    ids = _components_linked_to(Q(source__component__space=instance) | Q(component__space=instance))
    own = set(Component.objects.filter(space=instance).values_list("pk", flat=True))
    _mark(ids - own)


def _meeting_saved(sender, instance, **kwargs) -> None:
    if not kwargs.get("created"):
        _mark(set(instance.proposals.values_list("component_id", flat=True)))


def connect_signals() -> None:
    from django.apps import apps

    from civitas.spaces.models import Space

    if apps.is_installed("civitas.components.meetings"):
        meeting = apps.get_model("meetings", "Meeting")
        post_save.connect(_meeting_saved, sender=meeting, dispatch_uid="proposals.links.meeting")

    post_save.connect(_proposal_saved, sender=Proposal, dispatch_uid="proposals.links.proposal")
    post_save.connect(_component_saved, sender=Component, dispatch_uid="proposals.links.component")
    post_save.connect(_space_saved, sender=Space, dispatch_uid="proposals.links.space")
