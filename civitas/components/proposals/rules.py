"""Who may do what with co-authors, collaborative drafts and the admins' synthesis.

The component-wide permissions ``proposals.open_draft`` and ``proposals.join_draft``
come from the manifest's actions (taking part in the space, component published, the
phase's "collaborative drafts" switch on, the verifications the admins require). The
permissions below are on one draft or one proposal and add who the person is to it.
"""

import rules

from civitas.spaces.rules import can_admin_space


def draft_author_ids(draft) -> set[int]:
    """The opener and the accepted collaborators: read once per draft and request."""
    cached = getattr(draft, "_author_ids", None)
    if cached is None:
        from civitas.components.proposals.models import DraftCollaborator

        cached = {draft.author_id} | set(
            draft.collaborators.filter(state=DraftCollaborator.State.ACCEPTED).values_list(
                "user_id", flat=True
            )
        )
        draft._author_ids = cached
    return cached


@rules.predicate
def is_draft_author(user, draft) -> bool:
    return user.is_authenticated and user.pk in draft_author_ids(draft)


@rules.predicate
def draft_is_open(user, draft) -> bool:
    return draft.is_open


@rules.predicate
def draft_is_hidden(user, draft) -> bool:
    return draft.hidden_at is not None


@rules.predicate
def drafts_on_in_this_phase(user, draft) -> bool:
    return bool(draft.component.active_phase_settings().get("collaborative_drafts_enabled"))


@rules.predicate
def may_view_its_component(user, draft) -> bool:
    return user.has_perm("components.view_component", draft.component)


@rules.predicate
def takes_part_in_its_space(user, draft) -> bool:
    return user.has_perm("spaces.participate_in_space", draft.component.space)


@rules.predicate
def moderates_its_space(user, draft) -> bool:
    return user.has_perm("spaces.moderate_space", draft.component)


@rules.predicate
def may_join_drafts_here(user, draft) -> bool:
    # The manifest's action: phase switch, participation and the verifications required.
    return user.has_perm("proposals.join_draft", draft.component)


rules.add_perm(
    "proposals.view_draft",
    may_view_its_component & (~draft_is_hidden | is_draft_author | moderates_its_space),
)
rules.add_perm(
    "proposals.edit_draft",
    is_draft_author & draft_is_open & ~draft_is_hidden & drafts_on_in_this_phase & takes_part_in_its_space,
)
rules.add_perm(
    "proposals.ask_to_join_draft",
    rules.is_authenticated & ~is_draft_author & draft_is_open & ~draft_is_hidden & may_join_drafts_here,
)
rules.add_perm(
    "proposals.answer_draft_request",
    is_draft_author & draft_is_open & ~draft_is_hidden & drafts_on_in_this_phase & takes_part_in_its_space,
)
rules.add_perm(
    "proposals.publish_draft",
    is_draft_author & draft_is_open & ~draft_is_hidden & drafts_on_in_this_phase & takes_part_in_its_space,
)
# Withdrawing only closes the draft: its authors may do it in any phase, so a draft the
# phase left unfinished need not stay open for ever.
rules.add_perm("proposals.withdraw_draft", is_draft_author & draft_is_open)


# --- Co-authors of a proposal -----------------------------------------------------------


@rules.predicate
def is_original_author(user, proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


@rules.predicate
def proposal_takes_coauthors(user, proposal) -> bool:
    """Published, not hidden, not withdrawn, not answered yes or no: still the authors' to change."""
    return (
        proposal.published_at is not None
        and proposal.hidden_at is None
        and proposal.state not in ("withdrawn", "accepted", "rejected", "merged", "split")
    )


@rules.predicate
def takes_part_in_the_proposals_space(user, proposal) -> bool:
    return user.has_perm("spaces.participate_in_space", proposal.component.space) and (
        proposal.component.is_published
    )


rules.add_perm(
    "proposals.manage_coauthors",
    is_original_author & proposal_takes_coauthors & takes_part_in_the_proposals_space,
)


# --- Merging, splitting and importing proposals ---------------------------------------
# The admins of the component's space only (evaluators and moderators of the space prepare
# answers and moderate, they do not synthesize).
rules.add_perm("proposals.synthesize", can_admin_space)
