"""Proposals take amendments (civitas.amendments): the author decides, a rejected one may
become its amender's own proposal."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civitas.core.richtext import plain_text


def deciders_of(proposal) -> list[int]:
    """Who accepts or rejects: the proposal's author and its accepted co-authors."""
    return [proposal.author_id, *(coauthor.pk for coauthor in proposal.coauthors)]


def is_open(proposal) -> bool:
    from civitas.components.proposals.models import Proposal

    return (
        proposal.published_at is not None
        and proposal.hidden_at is None
        and proposal.state
        not in (
            Proposal.State.WITHDRAWN,
            Proposal.State.ACCEPTED,
            Proposal.State.REJECTED,
            Proposal.State.MERGED,
            Proposal.State.SPLIT,
        )
    )


def apply(proposal, fields: dict) -> None:
    proposal.title, proposal.body = fields["title"], fields["body"]
    proposal.save(update_fields=["title", "body", "updated_at"])


def validate(proposal, fields: dict) -> dict:
    """The proposal form's own rules on length, so an amended proposal is still a valid one."""
    problems = {}
    if len(" ".join((fields.get("title") or "").split())) < 10:
        problems["title"] = _("Please give a title of at least 10 characters.")
    length = len(plain_text(fields.get("body") or ""))
    maximum = proposal.component.current_settings()["body_max_length"]
    if length < 15:
        problems["body"] = _("Please describe your proposal in a few sentences.")
    elif length > maximum:
        problems["body"] = ngettext(
            "At most %(max)s character (%(length)s now).",
            "At most %(max)s characters (%(length)s now).",
            maximum,
        ) % {"max": maximum, "length": length}
    return problems


def promote(amendment, user):
    """The amender's own proposal, published now, in the amended proposal's component."""
    from civitas.amendments.services import AmendmentError
    from civitas.components.proposals import services

    try:
        proposal = services.do_create_draft(
            user=user, component=amendment.component, title=amendment.title, body=amendment.body
        )
        services.do_publish(proposal=proposal, user=user)
    except services.ProposalError as error:
        raise AmendmentError(error.message) from error
    return proposal


def register() -> None:
    from civitas.amendments.registry import AmendmentPermissions, register_amendable
    from civitas.components.proposals.models import Proposal
    from civitas.components.proposals.queries import may_see_proposal

    register_amendable(
        Proposal,
        fields=("title", "body"),
        rich_fields=("body",),
        component_of=lambda proposal: proposal.component,
        url_of=lambda proposal: proposal.get_absolute_url(),
        can_view=lambda user, proposal: (
            user.has_perm("components.view_component", proposal.component)
            and may_see_proposal(user, proposal)
        ),
        deciders_of=deciders_of,
        is_open=is_open,
        apply=apply,
        visibility_of=lambda component: component.current_settings()["amendments_visibility"],
        permissions=AmendmentPermissions(
            amend="proposals.amend",
            react="proposals.react_to_amendment",
            promote="proposals.promote_amendment",
        ),
        promote=promote,
        validate=validate,
    )
